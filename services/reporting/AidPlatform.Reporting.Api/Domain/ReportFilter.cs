using AidPlatform.ServiceDefaults.Validation;
using System.Security.Claims;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>The filters every report takes: value-date range, NGO, project, province (any code), sector (code or category), type.</summary>
public sealed record ReportFilter(DateOnly? From, DateOnly? To, Guid? NgoId, string? ProvinceCode, string? SectorCode, string? CategoryCode, string? Type, Guid? ProjectId = null)
{
    /// <summary>The WHERE clause over <c>cells c</c>; parameters are this record's properties.</summary>
    public const string Where = """
        where (@From::date is null or c.value_date >= @From)
          and (@To::date is null or c.value_date <= @To)
          and (@NgoId::uuid is null or c.ngo_id = @NgoId)
          and (@ProjectId::uuid is null or c.project_id = @ProjectId)
          and (@ProvinceCode::text is null or c.province_code = @ProvinceCode)
          and (@SectorCode::text is null or c.sector_code = @SectorCode)
          and (@CategoryCode::text is null or c.category_code = @CategoryCode)
          and (@Type::text is null or c.type = @Type)
        """;

    /// <summary>The query values as bound (their formats already checked by the strict query string).</summary>
    public sealed record Query(DateOnly? From, DateOnly? To, Guid? NgoId, Guid? ProjectId, string? ProvinceCode, string? Sector, string? Type);

    /// <summary>
    /// Checks the values against the data: a province or sector code that names nothing is a 422; a partner
    /// naming an NGO or project that is not its own gets 404, as for one that does not exist, and its reports
    /// are scoped to its NGO. A former province code filters by the current unit it merged into.
    /// </summary>
    public static async Task<ReportFilter> Parse(NpgsqlConnection connection, ClaimsPrincipal caller, bool openData, Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var invalid = new ValidationErrors();
        invalid.Require(query.From is null || query.To is null || query.From <= query.To, "to", "to must not be before from.");
        invalid.Require(query.ProvinceCode is null || (query.ProvinceCode.Length is > 0 and <= 3 && query.ProvinceCode.All(char.IsAsciiDigit)),
            "provinceCode", "provinceCode must be a province code of digits, such as 01 or 79.");
        invalid.Require(query.Sector is null || (query.Sector.Length is 3 or 5 && query.Sector.All(char.IsAsciiDigit)),
            "sector", "sector must be a 5-digit DAC purpose code or a 3-digit category.");
        if (invalid.Any)
        {
            throw new UnprocessableException("A filter is invalid.") { Errors = invalid.ToDictionary() };
        }

        string? current = null;
        if (query.ProvinceCode is { } provinceCode)
        {
            current = await connection.ExecuteScalarAsync<string?>("select current_code from province_codes where code = @provinceCode", new { provinceCode })
                ?? throw new UnprocessableException($"Province code {provinceCode} is neither a current nor a former province.") { Errors = new Dictionary<string, string[]> { ["provinceCode"] = ["Unknown province code."] } };
        }

        if (query.Sector is { } sector && !await connection.ExecuteScalarAsync<bool>(
                "select exists (select 1 from sector_labels where code = @sector or category_code = @sector)", new { sector }))
        {
            throw new UnprocessableException($"Sector {sector} is not a DAC purpose code or category.") { Errors = new Dictionary<string, string[]> { ["sector"] = ["Unknown sector."] } };
        }

        // Open data shows everyone the same aggregates; elsewhere a partner sees its own NGO only, and an NGO
        // or project of another reads exactly like one that does not exist (404), never as its own figures.
        var own = openData ? null : caller.PartnerNgo();
        if (own is not null && query.NgoId is { } ngoId && ngoId != own)
        {
            throw new NotFoundException($"NGO {ngoId} has not been reported.");
        }

        if (own is not null && query.ProjectId is { } projectId
            && await connection.ExecuteScalarAsync<Guid?>(
                "select coalesce((select ngo_id from projects where id = @projectId), (select ngo_id from transactions where project_id = @projectId limit 1))",
                new { projectId }) != own)
        {
            throw new NotFoundException($"Project {projectId} has not been reported.");
        }

        return new ReportFilter(query.From, query.To, query.NgoId ?? own, current,
            query.Sector?.Length == 5 ? query.Sector : null,
            query.Sector?.Length == 3 ? query.Sector : null,
            query.Type, query.ProjectId);
    }
}
