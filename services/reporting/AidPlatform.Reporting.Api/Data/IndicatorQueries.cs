using AidPlatform.Reporting.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>
/// Reads the periods the indicators report selects; <see cref="IndicatorReport.Of"/> sums them. A period with a
/// province is in that province (a former code read as its current unit); one without counts in every province
/// its project covers, as a transaction without a province does.
/// </summary>
public sealed class IndicatorQueries(NpgsqlDataSource db)
{
    // Dapper fills records through their constructors: column order = parameter order.
    private const string SelectedPeriods = $"""
        select r.id as result_id, i.indicator_no, r.project_id, p.title as project_title, r.ngo_id, n.name as ngo_name,
               ref.code as reference, i.measure, i.baseline_value, ip.target_value, ip.actual_value
        from results r
        join result_indicators i on i.result_id = r.id
        join indicator_references ref on ref.result_id = i.result_id and ref.indicator_no = i.indicator_no and ref.vocabulary = '{IndicatorQuery.SdgVocabulary}'
        join indicator_periods ip on ip.result_id = i.result_id and ip.indicator_no = i.indicator_no
        left join province_codes pc on pc.code = ip.province_code
        left join projects p on p.id = r.project_id
        left join ngos n on n.id = r.ngo_id
        where (@Reference::text is null or ref.code = @Reference)
          and (@NgoId::uuid is null or r.ngo_id = @NgoId)
          and (@Year::int is null or extract(year from ip.end_date) = @Year)
          and (@ProvinceCode::text is null
               or coalesce(pc.current_code, ip.province_code) = @ProvinceCode
               or (ip.province_code is null and exists (
                   select 1 from project_locations l where l.project_id = r.project_id and l.province_code = @ProvinceCode)))
        """;

    /// <summary>The report under a well-formed query; the filter's NGO and province are checked as every report checks them.</summary>
    public async Task<IndicatorReport> GetReport(IndicatorQuery query, ReportFilter asked, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var filter = await ReportFilterChecks.Resolve(connection, asked, partnerNgo);
        var periods = await connection.QueryAsync<SelectedPeriod>(new CommandDefinition(SelectedPeriods,
            new { query.Reference, filter.NgoId, filter.ProvinceCode, query.Year }, cancellationToken: cancellationToken));
        return IndicatorReport.Of(periods);
    }
}
