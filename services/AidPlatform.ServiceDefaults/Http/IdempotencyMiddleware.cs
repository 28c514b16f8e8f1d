using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first request with a key runs and its response (below 500) is stored;
/// the same key with the same body (compared canonically, see <see cref="CanonicalBody"/>) replays it; with another body answers 422; while the first is still
/// running, 409. A 5xx or an exception forgets the key, so the client may retry with it. A claim whose
/// request never completed (the process was killed, or the database went away before the key could be
/// forgotten) lapses after <see cref="Lease"/>, so the key is never stuck; the retry then meets whatever
/// the first attempt committed (a reference already in the ledger is a 409).
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource dataSource)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    /// <summary>Longer than any request runs: the largest batch takes seconds.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private const string Claim = """
        insert into idempotency_keys (scope, key, request_hash) values (@Scope, @Key, @Hash)
        on conflict (scope, key) do update set created_at = now()
        where idempotency_keys.completed_at is null
          and idempotency_keys.created_at < now() - @Lease
          and idempotency_keys.request_hash = excluded.request_hash
        """;

    private const string Find = """
        select request_hash, status_code, content_type, location, etag, body
        from idempotency_keys where scope = @Scope and key = @Key
        """;

    private const string Complete = """
        update idempotency_keys
        set status_code = @StatusCode, content_type = @ContentType, location = @Location, etag = @ETag, body = @Body, completed_at = now()
        where scope = @Scope and key = @Key
        """;

    private const string Forget = "delete from idempotency_keys where scope = @Scope and key = @Key";

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || values.Count > 1)
        {
            await WriteProblem(context, problems, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"{HeaderName} must be one value of 1 to {MaxKeyLength} characters.");
            return;
        }

        var hash = await CanonicalBody.Hash(context.Request, context.RequestAborted);

        // The caller is part of the scope, so two partners' keys never meet.
        var scope = $"{context.User.Identity?.Name ?? context.User.FindFirst("sub")?.Value ?? "-"} {context.Request.Path}";
        var ids = new { Scope = scope, Key = key };

        await using (var connection = await dataSource.OpenConnectionAsync(context.RequestAborted))
        {
            var claimed = await connection.ExecuteAsync(Claim, new { Scope = scope, Key = key, Hash = hash, Lease });
            if (claimed == 0)
            {
                var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(Find, ids);
                await Replay(context, problems, stored, hash);
                return;
            }
        }

        var originalBody = context.Response.Body;
        await using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            context.Response.Body = originalBody;
            await ForgetKey(ids);
            throw;
        }

        context.Response.Body = originalBody;
        if (context.Response.StatusCode < 500)
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync(Complete, new
            {
                Scope = scope,
                Key = key,
                context.Response.StatusCode,
                context.Response.ContentType,
                Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                ETag = context.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                Body = captured.ToArray(),
            });
        }
        else
        {
            await ForgetKey(ids);
        }

        captured.Position = 0;
        await captured.CopyToAsync(originalBody, context.RequestAborted);
    }

    private static async Task Replay(HttpContext context, IProblemDetailsService problems, StoredResponse? stored, byte[] hash)
    {
        if (stored is null)
        {
            // Forgotten between our insert and select: the first request failed; the client may retry.
            await WriteProblem(context, problems, StatusCodes.Status409Conflict, "Idempotency-Key in use",
                "The first request with this key did not complete; retry it.");
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            await WriteProblem(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                $"This {HeaderName} was used with a different request body.");
            return;
        }

        if (stored.StatusCode is not { } statusCode)
        {
            await WriteProblem(context, problems, StatusCodes.Status409Conflict, "Idempotency-Key in use",
                "A request with this key is still being processed.");
            return;
        }

        context.Response.StatusCode = statusCode;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (stored.ContentType is not null)
        {
            context.Response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        if (stored.ETag is not null)
        {
            context.Response.Headers.ETag = stored.ETag;
        }

        if (stored.Body is { Length: > 0 })
        {
            await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
        }
    }

    private async Task ForgetKey(object ids)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(Forget, ids);
    }

    private static async Task WriteProblem(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private sealed record StoredResponse(byte[] RequestHash, int? StatusCode, string? ContentType, string? Location, string? ETag, byte[]? Body);
}
