using System.ComponentModel.DataAnnotations;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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
        group.MapGet("/{currency}/{month}/history", GetExchangeRateHistory)
            .WithName("GetExchangeRateHistory")
            .WithSummary("Every version a month's rate has had, newest first: version, unitsPerUsd, source, changedAt. 404 when the month never had a rate.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/imports", ImportExchangeRates)
            .WithName("ImportExchangeRates")
            .RequireAuthorization(Policies.Ministry)
            .WithSummary($"Sets many months' rates from a CSV file with the header {ExchangeRateCsv.Header} (up to {ExchangeRateCsv.MaxLines:N0} lines), as a text/csv body or a multipart/form-data part named file. All or nothing: any fault is a 422 naming each by line (lines[1] is the first after the header). New months are created, changed rates get a new version, equal ones are left as they are, so the same file twice changes nothing.")
            .Accepts<string>("text/csv", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/coverage", GetExchangeRateCoverage)
            .WithName("GetExchangeRateCoverage")
            .WithSummary("The currency-months that refused ledger entries needed and lacked (a value date's month with no rate in it or the three months before), whether a rate covers each now, by currency and month.")
            .ProducesValidationProblem();
        return routes;
    }

    internal static async Task<Ok<Paged<ExchangeRateDto>>> ListExchangeRates(
        ExchangeRateStore rates, string? currency, string? from, string? to, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var filter = ExchangeRateRules.ValidateFilter(currency, from, to, errors) ?? throw errors.Refusal();
        var (items, total) = await rates.List(filter, paging, cancellationToken);
        return TypedResults.Ok(new Paged<ExchangeRateDto>(items.Select(ExchangeRateDto.From).ToList(), paging.Page, paging.PageSize, total));
    }

    internal static async Task<Ok<ExchangeRateDto>> GetExchangeRate(
        string currency, string month, HttpResponse response, ExchangeRateStore rates, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = ExchangeRateRules.ValidateKey(currency, month, errors) ?? throw errors.Refusal();
        var rate = await rates.Find(key.Currency, key.Month, cancellationToken) ?? throw new NotFoundException($"No {currency} rate for {month}.");
        response.Headers.ETag = ETags.For(rate.Version);
        return TypedResults.Ok(ExchangeRateDto.From(rate));
    }

    internal static async Task<Results<Ok<ExchangeRateDto>, Created<ExchangeRateDto>>> SetExchangeRate(
        string currency, string month, RateRequest request, HttpRequest http, HttpResponse response, ExchangeRateStore rates, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var change = ExchangeRateRules.Validate(currency, month, request.UnitsPerUsd, ReferenceData.Instance.Currencies.MinorUnits, errors) ?? throw errors.Refusal();
        var (rate, created) = await rates.Set(change, current => Preconditions(http, currency, month, current), cancellationToken);
        response.Headers.ETag = ETags.For(rate.Version);
        var dto = ExchangeRateDto.From(rate);
        return created ? TypedResults.Created($"/api/v1/exchange-rates/{dto.Currency}/{dto.Month}", dto) : TypedResults.Ok(dto);
    }

    internal static async Task<Ok<RateHistoryDto>> GetExchangeRateHistory(string currency, string month, ExchangeRateStore rates, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = ExchangeRateRules.ValidateKey(currency, month, errors) ?? throw errors.Refusal();
        var versions = await rates.History(key.Currency, key.Month, cancellationToken);
        return versions.Count > 0 ? TypedResults.Ok(RateHistoryDto.From(currency, month, versions)) : throw new NotFoundException($"No {currency} rate for {month} was ever set.");
    }

    internal static async Task<Results<Ok<RateImportResult>, ProblemHttpResult>> ImportExchangeRates(HttpRequest request, ExchangeRateStore rates, CancellationToken cancellationToken)
    {
        var (csv, refusal) = await CsvUploads.Open(request, cancellationToken);
        if (csv is null)
        {
            return refusal!;
        }

        var errors = new ValidationErrors();
        using var text = new StreamReader(await CsvUploads.Buffer(csv, cancellationToken));
        var changes = ExchangeRateCsv.Read(text, ReferenceData.Instance.Currencies.MinorUnits, errors)
            ?? throw errors.Refusal($"The file was refused whole: {errors.Count} field(s) are invalid; no rate was written.");
        return TypedResults.Ok(RateImportResult.From(await rates.Import(changes, cancellationToken)));
    }

    internal static async Task<Ok<Paged<RateGapDto>>> GetExchangeRateCoverage(
        RateCoverageStore coverage, string? currency, bool? onlyMissing, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var filter = RateCoverage.ValidateFilter(currency, onlyMissing, errors) ?? throw errors.Refusal();
        var (gaps, total) = await coverage.List(filter, paging, cancellationToken);
        return TypedResults.Ok(new Paged<RateGapDto>(gaps.Select(RateGapDto.From).ToList(), paging.Page, paging.PageSize, total));
    }

    /// <summary>A PUT that changes a month names the version it read (If-Match); If-None-Match: * only creates.</summary>
    private static void Preconditions(HttpRequest http, string currency, string month, int? current)
    {
        if (current is not { } version)
        {
            if (ETags.ExpectedVersion(http) is not null)
            {
                throw new PreconditionFailedException($"If-Match {http.Headers.IfMatch} names a version, but there is no {currency} rate for {month} yet.");
            }

            return;
        }

        if (ETags.CreateOnly(http))
        {
            throw new PreconditionFailedException($"The {currency} rate for {month} exists (If-None-Match: *); change it with If-Match {ETags.For(version)}.");
        }

        if (string.IsNullOrWhiteSpace(http.Headers.IfMatch.ToString()))
        {
            throw new PreconditionRequiredException($"The {currency} rate for {month} exists: send If-Match with its ETag to change it.");
        }

        ETags.Check(http, version);
    }
}
