using System.Globalization;
using AidPlatform.ServiceDefaults.Validation;
using CsvHelper;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A fault of an import: its line (1 is the first after the header, 0 the file as a whole), field and message.</summary>
public sealed record ImportError(long Row, string Field, string Message);

/// <summary>The CSV import's format: its header, and each line read into the request a POST would send.</summary>
public static class CsvImport
{
    public const string Header = "projectId,type,amount,currency,valueDate,provinceCode,reference,description";

    private static readonly string[] Columns = Header.Split(',');

    private static readonly string[] TextFields = ["type", "currency", "provinceCode", "reference", "description"];

    /// <summary>Whether the file's header names every column (in any order, others ignored).</summary>
    public static bool HasHeader(IReadOnlyCollection<string>? header) => header is not null && Columns.All(header.Contains);

    /// <summary>
    /// The request one line stands for. A value that does not parse is left null with its fault added
    /// under <paramref name="prefix"/>; the rest is still read, so the line's project can be resolved.
    /// </summary>
    public static DisbursementRequest Read(IReaderRow line, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(errors);
        Guid? projectId = Guid.TryParse(line.GetField("projectId"), out var id) ? id : null;
        errors.Require(projectId is not null, prefix + "projectId", "projectId must be a UUID.");
        decimal? amount = decimal.TryParse(line.GetField("amount"), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a) ? a : null;
        errors.Require(amount is not null, prefix + "amount", "amount must be a number such as 1234.56.");
        DateOnly? valueDate = DateOnly.TryParseExact(line.GetField("valueDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        errors.Require(valueDate is not null, prefix + "valueDate", "valueDate must be a date as YYYY-MM-DD.");

        // PostgreSQL cannot store a NUL in text: refuse it here rather than fail the whole import at the copy.
        foreach (var field in TextFields.Where(f => line.GetField(f)?.Contains('\0', StringComparison.Ordinal) == true))
        {
            errors.Add(prefix + field, $"{field} must not contain a NUL character.");
        }

        return new DisbursementRequest(projectId, NullIfEmpty(line.GetField("type")), amount, line.GetField("currency"), valueDate,
            NullIfEmpty(line.GetField("provinceCode")), line.GetField("reference"), NullIfEmpty(line.GetField("description")));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
