using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Reports;

/// <summary>The filters every report takes: value-date range, NGO, province (any code), sector (code or category), type.</summary>
public sealed record ReportFilter(DateOnly? From, DateOnly? To, Guid? NgoId, string? ProvinceCode, string? SectorCode, string? CategoryCode, string? Type)
{
    public static readonly IReadOnlyList<string> Types = ["commitment", "disbursement", "expenditure"];

    /// <summary>The WHERE clause over <c>cells c</c>; parameters are this record's properties.</summary>
    public const string Where = """
        where (@From::date is null or c.value_date >= @From)
          and (@To::date is null or c.value_date <= @To)
          and (@NgoId::uuid is null or c.ngo_id = @NgoId)
          and (@ProvinceCode::text is null or c.province_code = @ProvinceCode)
          and (@SectorCode::text is null or c.sector_code = @SectorCode)
          and (@CategoryCode::text is null or c.category_code = @CategoryCode)
          and (@Type::text is null or c.type = @Type)
        """;

    /// <summary>
    /// Validates the query values: malformed ones add field errors (400); a well-formed province or sector
    /// code that names nothing is a 422. A former province code filters by the current unit it merged into.
    /// </summary>
    public static async Task<ReportFilter?> Parse(NpgsqlConnection connection, string? from, string? to, string? ngoId, string? provinceCode, string? sector, string? type, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate > toDate)
        {
            errors.Add("to", "to must not be before from.");
        }

        Guid? ngo = null;
        if (ngoId is not null)
        {
            if (Guid.TryParse(ngoId, out var id)) { ngo = id; } else { errors.Add("ngoId", "ngoId must be a UUID."); }
        }

        if (type is not null && !Types.Contains(type))
        {
            errors.Add("type", "type must be commitment, disbursement or expenditure.");
        }

        if (provinceCode is not null && (provinceCode.Length is 0 or > 3 || !provinceCode.All(char.IsAsciiDigit)))
        {
            errors.Add("provinceCode", "provinceCode must be a province code of digits, such as 01 or 79.");
        }

        if (sector is not null && (sector.Length is not (3 or 5) || !sector.All(char.IsAsciiDigit)))
        {
            errors.Add("sector", "sector must be a 5-digit DAC purpose code or a 3-digit category.");
        }

        if (errors.Any)
        {
            return null;
        }

        string? current = null;
        if (provinceCode is not null)
        {
            current = await connection.ExecuteScalarAsync<string?>("select current_code from province_codes where code = @provinceCode", new { provinceCode })
                ?? throw new UnprocessableException($"Province code {provinceCode} is neither a current nor a former province.") { Errors = new Dictionary<string, string[]> { ["provinceCode"] = ["Unknown province code."] } };
        }

        if (sector is not null && !await connection.ExecuteScalarAsync<bool>(
                "select exists (select 1 from sector_labels where code = @sector or category_code = @sector)", new { sector }))
        {
            throw new UnprocessableException($"Sector {sector} is not a DAC purpose code or category.") { Errors = new Dictionary<string, string[]> { ["sector"] = ["Unknown sector."] } };
        }

        return new ReportFilter(fromDate, toDate, ngo, current,
            sector?.Length == 5 ? sector : null,
            sector?.Length == 3 ? sector : null,
            type);
    }

    private static DateOnly? ParseDate(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, $"{field} must be a date as YYYY-MM-DD.");
        return null;
    }
}
