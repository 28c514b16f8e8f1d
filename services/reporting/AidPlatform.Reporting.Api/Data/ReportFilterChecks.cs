using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>
/// Checks a well-formed filter against the data: a province or sector code that names nothing is a 422; a partner
/// naming an NGO or project that is not its own gets 404, as for one that does not exist. A former province code
/// filters by the current unit it merged into, read from <c>province_codes</c> (seeded from the reference crosswalk).
/// </summary>
internal static class ReportFilterChecks
{
    private const string CurrentProvince = "select current_code from province_codes where code = @provinceCode";

    private const string SectorExists = "select exists (select 1 from sector_labels where code = @sector or category_code = @sector)";

    private const string ProjectOwner = """
        select coalesce((select ngo_id from projects where id = @projectId), (select ngo_id from transactions where project_id = @projectId limit 1))
        """;

    /// <summary>The filter with its province code made the current unit's; throws the 422 or 404 otherwise.</summary>
    public static async Task<ReportFilter> Resolve(NpgsqlConnection connection, ReportFilter asked, Guid? partnerNgo)
    {
        string? current = null;
        if (asked.ProvinceCode is { } provinceCode)
        {
            current = await connection.ExecuteScalarAsync<string?>(CurrentProvince, new { provinceCode })
                ?? throw Unknown("provinceCode", "Unknown province code.", $"Province code {provinceCode} is neither a current nor a former province.");
        }

        if ((asked.SectorCode ?? asked.CategoryCode) is { } sector && !await connection.ExecuteScalarAsync<bool>(SectorExists, new { sector }))
        {
            throw Unknown("sector", "Unknown sector.", $"Sector {sector} is not a DAC purpose code or category.");
        }

        // An NGO or project of another reads exactly like one that does not exist (404), never as its own figures.
        if (partnerNgo is not null && asked.NgoId is { } ngoId && ngoId != partnerNgo)
        {
            throw new NotFoundException($"NGO {ngoId} has not been reported.");
        }

        if (partnerNgo is not null && asked.ProjectId is { } projectId
            && await connection.ExecuteScalarAsync<Guid?>(ProjectOwner, new { projectId }) != partnerNgo)
        {
            throw new NotFoundException($"Project {projectId} has not been reported.");
        }

        return asked with { ProvinceCode = current };
    }

    private static UnprocessableException Unknown(string field, string message, string detail)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.Refusal(detail);
    }
}
