using System.Globalization;
using System.Text;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>A breakdown as a CSV download: the JSON rows' fields as columns, amounts in invariant culture.</summary>
public static class BreakdownCsv
{
    private const string Header = "key,label,committedUsd,disbursedUsd,expenditureUsd,transactionCount\n";

    /// <summary>The download's file name: the dimension and the day.</summary>
    public static string FileName(string by, DateOnly today) => $"breakdown-{by}-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public static string Write(Breakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var csv = new StringBuilder(Header);
        foreach (var row in breakdown.Rows)
        {
            csv.Append(Field(row.Key)).Append(',').Append(Field(row.Label)).Append(',')
               .Append(row.CommittedUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.DisbursedUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.ExpenditureUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.TransactionCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny("\",\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
