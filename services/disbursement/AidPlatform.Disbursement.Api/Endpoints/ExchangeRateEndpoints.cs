using System.Globalization;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
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
        group.MapPut("/{currency}/{month}", SetExchangeRate)
            .WithName("SetExchangeRate")
            .RequireAuthorization(Policies.Ministry)
            .WithSummary("Sets a month's rate in units per USD. Rows already recorded keep the rate they were converted at.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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
        var items = rows.Select(r => new ExchangeRateDto(r.Currency, r.Month, r.UnitsPerUsd / 1.000000000000000000000000000000000m, r.Source, new DateTimeOffset(r.UpdatedAt, TimeSpan.Zero))).ToList();
        return TypedResults.Ok(new Paged<ExchangeRateDto>(items, paging.Page, paging.PageSize, total));
    }

    public sealed record RateRequest(decimal? UnitsPerUsd);

    internal static async Task<Results<Ok<ExchangeRateDto>, ValidationProblem>> SetExchangeRate(
        string currency, string month, RateRequest request, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Require(IsCurrencyCode(currency), "currency", "currency must be an ISO 4217 code of three upper-case letters.");
        var first = ParseMonth(month, "month", errors);
        errors.Require(request.UnitsPerUsd is > 0 and < 100_000_000m, "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.");
        errors.Require(request.UnitsPerUsd is null || decimal.Round(request.UnitsPerUsd.Value, 6) == request.UnitsPerUsd, "unitsPerUsd", "unitsPerUsd has at most 6 decimals.");
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (currency == "USD")
        {
            throw new UnprocessableException("USD is the base currency: its rate is 1.");
        }

        const string sql = """
            insert into exchange_rates (currency, month, units_per_usd, source) values (@currency, @first, @UnitsPerUsd, 'ministry')
            on conflict (currency, month) do update set units_per_usd = excluded.units_per_usd, source = excluded.source, updated_at = now()
            returning currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, 1::bigint as total
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>("select exists (select 1 from currencies where code = @currency)", new { currency }))
        {
            throw new UnprocessableException($"{currency} is not a currency the ledger carries.");
        }

        var row = await connection.QuerySingleAsync<RateRow>(sql, new { currency, first, request.UnitsPerUsd });
        return TypedResults.Ok(new ExchangeRateDto(row.Currency, row.Month, row.UnitsPerUsd / 1.000000000000000000000000000000000m, row.Source, new DateTimeOffset(row.UpdatedAt, TimeSpan.Zero)));
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
