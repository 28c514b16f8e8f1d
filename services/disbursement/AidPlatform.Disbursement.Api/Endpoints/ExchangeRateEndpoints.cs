using AidPlatform.ServiceDefaults.Validation;
using System.ComponentModel.DataAnnotations;
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
        group.MapGet("/{currency}/{month}", GetExchangeRate)
            .WithName("GetExchangeRate")
            .WithSummary("One month's rate (month as yyyy-MM), with its ETag.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{currency}/{month}", SetExchangeRate)
            .WithName("SetExchangeRate")
            .RequireAuthorization(Policies.Ministry)
            .CreatesOnPut()
            .WithSummary("Sets a month's rate in units per USD: 201 when it creates the month, 200 when it changes it (If-Match required then). If-None-Match: * makes it create-only. Rows already recorded keep the rate they were converted at; every change is kept.")
            .Produces<ExchangeRateDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return routes;
    }

    public sealed record ExchangeRateDto(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTimeOffset UpdatedAt, int Version);

    private const string SelectRate = "select currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, version, 1::bigint as total from exchange_rates";

    internal static async Task<Ok<Paged<ExchangeRateDto>>> ListExchangeRates(
        NpgsqlDataSource db, string? currency, string? from, string? to, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var fromMonth = ParseMonth(from, "from");
        var toMonth = ParseMonth(to, "to");
        if (currency is not null && !IsCurrencyCode(currency))
        {
            errors.Add("currency", "currency must be an ISO 4217 code of three upper-case letters.");
        }

        errors.ThrowIfAny();

        const string sql = """
            select currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, version, count(*) over () as total
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
        var items = rows.Select(r => r.ToDto()).ToList();
        return TypedResults.Ok(new Paged<ExchangeRateDto>(items, paging.Page, paging.PageSize, total));
    }

    public sealed record RateRequest([property: Required, Range(typeof(decimal), "0.000001", "99999999.999999")] decimal? UnitsPerUsd);

    internal static async Task<Ok<ExchangeRateDto>> GetExchangeRate(
        string currency, string month, HttpResponse response, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Require(IsCurrencyCode(currency), "currency", "currency must be an ISO 4217 code of three upper-case letters.");
        var first = ParseMonth(month, "month");
        errors.ThrowIfAny();

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RateRow>($"{SelectRate} where currency = @currency and month = @first", new { currency, first })
            ?? throw new NotFoundException($"No {currency} rate for {month}.");
        response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Ok(row.ToDto());
    }

    internal static async Task<Results<Ok<ExchangeRateDto>, Created<ExchangeRateDto>>> SetExchangeRate(
        string currency, string month, RateRequest request, HttpRequest http, HttpResponse response, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Require(IsCurrencyCode(currency), "currency", "currency must be an ISO 4217 code of three upper-case letters.");
        var first = ParseMonth(month, "month");
        errors.Require(request.UnitsPerUsd is > 0 and < 100_000_000m, "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.");
        errors.Require(request.UnitsPerUsd is null || decimal.Round(request.UnitsPerUsd.Value, 6) == request.UnitsPerUsd, "unitsPerUsd", "unitsPerUsd has at most 6 decimals.");
        errors.ThrowIfAny();

        if (currency == "USD")
        {
            throw new UnprocessableException("USD is the base currency: its rate is 1.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>("select exists (select 1 from currencies where code = @currency)", new { currency }, transaction))
        {
            throw new UnprocessableException($"{currency} is not a currency the ledger carries.");
        }

        var current = await connection.QuerySingleOrDefaultAsync<int?>(
            "select version from exchange_rates where currency = @currency and month = @first for update", new { currency, first }, transaction);
        RateRow row;
        if (current is { } version)
        {
            if (ETags.CreateOnly(http))
            {
                throw new PreconditionFailedException($"The {currency} rate for {month} exists (If-None-Match: *); change it with If-Match {ETags.For(version)}.");
            }

            if (string.IsNullOrWhiteSpace(http.Headers.IfMatch.ToString()))
            {
                throw new PreconditionRequiredException($"The {currency} rate for {month} exists: send If-Match with its ETag to change it.");
            }

            ETags.Check(http, version);
            row = await connection.QuerySingleAsync<RateRow>("""
                update exchange_rates set units_per_usd = @UnitsPerUsd, source = 'ministry', updated_at = now(), version = version + 1
                where currency = @currency and month = @first
                returning currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, version, 1::bigint as total
                """, new { currency, first, request.UnitsPerUsd }, transaction);
        }
        else
        {
            if (ETags.ExpectedVersion(http) is not null)
            {
                throw new PreconditionFailedException($"If-Match {http.Headers.IfMatch} names a version, but there is no {currency} rate for {month} yet.");
            }

            row = await connection.QuerySingleAsync<RateRow>("""
                insert into exchange_rates (currency, month, units_per_usd, source) values (@currency, @first, @UnitsPerUsd, 'ministry')
                returning currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, version, 1::bigint as total
                """, new { currency, first, request.UnitsPerUsd }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = ETags.For(row.Version);
        return current is null
            ? TypedResults.Created($"/api/v1/exchange-rates/{row.Currency}/{row.Month}", row.ToDto())
            : TypedResults.Ok(row.ToDto());
    }

    /// <summary>A month that does not parse cannot be read: 400, whatever else is wrong.</summary>
    private static DateOnly? ParseMonth(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month;
        }

        throw new MalformedException($"{field} is not a month.") { Errors = new Dictionary<string, string[]> { [field] = ["expected a month YYYY-MM"] } };
    }

    private static bool IsCurrencyCode(string value) => value.Length == 3 && value.All(char.IsAsciiLetterUpper);

    private sealed record RateRow(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTime UpdatedAt, int Version, long Total)
    {
        public ExchangeRateDto ToDto() => new(Currency, Month, UnitsPerUsd / 1.000000000000000000000000000000000m, Source, new DateTimeOffset(UpdatedAt, TimeSpan.Zero), Version);
    }
}
