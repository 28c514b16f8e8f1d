using System.Text.Json;
using AidPlatform.ServiceDefaults.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
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
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e),
            ConflictException e => Problem(StatusCodes.Status409Conflict, e),
            PreconditionFailedException e => Problem(StatusCodes.Status412PreconditionFailed, e),
            UnprocessableException e => Problem(StatusCodes.Status422UnprocessableEntity, e),
            DependencyUnavailableException e => Problem(StatusCodes.Status503ServiceUnavailable, e),
            BadHttpRequestException e => Malformed(e),
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
    private static ProblemDetails Malformed(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = JsonPathToField(json.Path);
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [json.Path is null ? "The body is not valid JSON." : $"The value at {json.Path} is not valid for this field."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed request",
                Detail = "The request body could not be read as the expected JSON.",
            };
        }

        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Malformed request",
            Detail = exception.Message,
        };
    }

    /// <summary><c>$.items[3].amount</c> becomes <c>items[3].amount</c>; the root becomes <c>body</c>.</summary>
    internal static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
