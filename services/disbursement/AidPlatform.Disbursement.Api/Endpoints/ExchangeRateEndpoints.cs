using System.Globalization;
using AidPlatform.ServiceDefaults.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>Monthly exchange rates, units of currency per USD.</summary>
public static class ExchangeRateEndpoints
{
    public static IEndpointRouteBuilder MapExchangeRateEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/exchange-rates").WithTags("Exchange rates");
        group.MapGet("/", ListExchangeRates)
            .WithName("ListExchangeRates")
            .WithSummary("Monthly average rates in units per USD, filtered by currency and month range (yyyy-MM).")
            .ProducesValidationProblem();
        return routes;
    }

    public sealed record ExchangeRateDto(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTimeOffset UpdatedAt);

    internal static async Task<Results<Ok<Paged<ExchangeRateDto>>, ValidationProblem>> ListExchangeRates(
        NpgsqlDataSource db, string? currency, string? from, string? to, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var fromMonth = ParseMonth(from, "from", errors);
        var toMonth = ParseMonth(to, "to", errors);
        if (currency is not null && !IsCurrencyCode(currency))
        {
            errors.Add("currency", "currency must be an ISO 4217 code of three upper-case letters.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        const string sql = """
            select currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, count(*) over () as total
            from exchange_rates
            where (@Currency::text is null or currency = @Currency)
              and (@From::date is null or month >= @From)
              and (@To::date is null or month <= @To)
            order by currency, month
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RateRow>(sql, new
        {
            Currency = currency,
            From = fromMonth,
            To = toMonth,
            Limit = paging.PageSize,
            paging.Offset,
        })).AsList();
        var total = rows.Count > 0 ? rows[0].Total : 0;
        var items = rows.Select(r => new ExchangeRateDto(r.Currency, r.Month, r.UnitsPerUsd, r.Source, new DateTimeOffset(r.UpdatedAt, TimeSpan.Zero))).ToList();
        return TypedResults.Ok(new Paged<ExchangeRateDto>(items, paging.Page, paging.PageSize, total));
    }

    private static DateOnly? ParseMonth(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month;
        }

        errors.Add(field, $"{field} must be a month as yyyy-MM.");
        return null;
    }

    private static bool IsCurrencyCode(string value) => value.Length == 3 && value.All(char.IsAsciiLetterUpper);

    private sealed record RateRow(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTime UpdatedAt, long Total);
}
