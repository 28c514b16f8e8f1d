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

    private static readonly string[] Names = Header.Split(',');

    /// <summary>Where each column is in a file's header; found once per file, not by name on every line.</summary>
    public sealed record Columns(int ProjectId, int Type, int Amount, int Currency, int ValueDate, int ProvinceCode, int Reference, int Description);

    /// <summary>Whether the file's header names every column (in any order, others ignored).</summary>
    public static bool HasHeader(IReadOnlyList<string>? header) => ColumnsOf(header) is not null;

    /// <summary>The columns' positions in <paramref name="header"/>, or null if one is missing.</summary>
    public static Columns? ColumnsOf(IReadOnlyList<string>? header)
    {
        if (header is null || !Names.All(header.Contains))
        {
            return null;
        }

        int At(string name) => header.Select((h, i) => (h, i)).First(c => c.h == name).i;
        return new Columns(At("projectId"), At("type"), At("amount"), At("currency"), At("valueDate"), At("provinceCode"), At("reference"), At("description"));
    }

    /// <summary>
    /// The request one line stands for. A value that does not parse is left null with its fault added
    /// under <paramref name="prefix"/>; the rest is still read, so the line's project can be resolved.
    /// </summary>
    public static DisbursementRequest Read(IReaderRow line, Columns columns, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(errors);
        Guid? projectId = Guid.TryParse(line.GetField(columns.ProjectId), out var id) ? id : null;
        errors.Require(projectId is not null, prefix + "projectId", "projectId must be a UUID.");
        decimal? amount = decimal.TryParse(line.GetField(columns.Amount), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a) ? a : null;
        errors.Require(amount is not null, prefix + "amount", "amount must be a number such as 1234.56.");
        DateOnly? valueDate = DateOnly.TryParseExact(line.GetField(columns.ValueDate), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        errors.Require(valueDate is not null, prefix + "valueDate", "valueDate must be a date as YYYY-MM-DD.");

        // PostgreSQL cannot store a NUL in text: refuse it here rather than fail the whole import at the copy.
        var type = line.GetField(columns.Type);
        var currency = line.GetField(columns.Currency);
        var province = line.GetField(columns.ProvinceCode);
        var reference = line.GetField(columns.Reference);
        var description = line.GetField(columns.Description);
        string?[] text = [type, currency, province, reference, description];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i]?.Contains('\0', StringComparison.Ordinal) == true)
            {
                errors.Add(prefix + TextNames[i], $"{TextNames[i]} must not contain a NUL character.");
            }
        }

        return new DisbursementRequest(projectId, NullIfEmpty(type), amount, currency, valueDate, NullIfEmpty(province), reference, NullIfEmpty(description));
    }

    private static readonly string[] TextNames = ["type", "currency", "provinceCode", "reference", "description"];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
