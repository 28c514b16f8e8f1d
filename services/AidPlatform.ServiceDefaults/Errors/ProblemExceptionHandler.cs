using System.Text.Json;
using AidPlatform.ServiceDefaults.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become RFC 9457 problem details: domain exceptions to their status,
/// malformed requests to 400 naming the field, an unreachable database to 503, anything else to a 500
/// that names the trace id and never the stack.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            MalformedException e => Problem(StatusCodes.Status400BadRequest, e),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e),
            ConflictException e => Problem(StatusCodes.Status409Conflict, e),
            PreconditionFailedException e => Problem(StatusCodes.Status412PreconditionFailed, e),
            PreconditionRequiredException e => Problem(StatusCodes.Status428PreconditionRequired, e),
            UnprocessableException e => Problem(StatusCodes.Status422UnprocessableEntity, e),
            DependencyUnavailableException e => Problem(StatusCodes.Status503ServiceUnavailable, e),
            BadHttpRequestException e => Malformed(httpContext, e),
            NpgsqlException e when DatabaseFaults.IsUnavailable(e) => Unavailable(),
            TimeoutException => Unavailable(),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Detail = "The server could not complete the request. Quote the traceId when reporting it.",
            };
        }
        else if (problem.Status >= 500)
        {
            logger.LogWarning(exception, "Dependency unavailable for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // As the document declares: a dependency outage is short-lived; say when to try again.
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static ProblemDetails Problem(int status, DomainException exception)
    {
        var problem = exception.Errors is { } errors
            ? new HttpValidationProblemDetails(errors)
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = exception.Title;
        problem.Detail = exception.Message;
        return problem;
    }

    private static ProblemDetails Unavailable() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Dependency unavailable",
        Detail = "The database is not reachable. Nothing was written; retry later.",
    };

    /// <summary>A request that could not be read: bad JSON, a wrong type, a too large body, a bad query value.</summary>
    private static ProblemDetails Malformed(HttpContext context, BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            // The exception handler has cleared the endpoint for re-execution; its feature keeps the one that threw.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
            var requestType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>([JsonBodyErrors.Describe(json, requestType)]))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed request",
                Detail = "The request body could not be read as the expected JSON.",
            };
        }

        var tooLarge = exception.StatusCode == StatusCodes.Status413PayloadTooLarge;
        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = tooLarge ? "Request too large" : "Malformed request",
            // The framework's own text names CLR types and parameters; say it in the API's words.
            Detail = tooLarge ? "The request body is larger than this operation accepts."
                : exception.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "This operation does not accept that Content-Type."
                : "The request could not be read; check the body is JSON of the documented shape.",
        };
    }
}
