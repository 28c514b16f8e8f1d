namespace AidPlatform.ServiceDefaults.Errors;

/// <summary>Base of the exceptions that <see cref="ProblemExceptionHandler"/> turns into a 4xx or 503 problem.</summary>
public abstract class DomainException(string title, string detail) : Exception(detail)
{
    /// <summary>The problem's short, stable title.</summary>
    public string Title { get; } = title;

    /// <summary>Field errors, where the problem is about particular fields.</summary>
    public IDictionary<string, string[]>? Errors { get; init; }
}

/// <summary>400: a value that cannot be read (a month that does not parse), where binding could not tell.</summary>
public sealed class MalformedException(string detail) : DomainException("Malformed request", detail);

/// <summary>404: the id names nothing the caller may see.</summary>
public sealed class NotFoundException(string detail) : DomainException("Not found", detail);

/// <summary>409: a duplicate natural key or a state clash.</summary>
public sealed class ConflictException(string detail) : DomainException("Conflict", detail);

/// <summary>412: the <c>If-Match</c> ETag is stale.</summary>
public sealed class PreconditionFailedException(string detail) : DomainException("Precondition failed", detail);

/// <summary>428: an update without <c>If-Match</c>.</summary>
public sealed class PreconditionRequiredException(string detail) : DomainException("Precondition required", detail);

/// <summary>422: well-formed, but invalid against the data (unknown project, missing rate, percentages).</summary>
public sealed class UnprocessableException(string detail) : DomainException("Unprocessable request", detail);

/// <summary>503: a dependency (another service, the database) cannot answer now.</summary>
public sealed class DependencyUnavailableException(string detail) : DomainException("Dependency unavailable", detail);
