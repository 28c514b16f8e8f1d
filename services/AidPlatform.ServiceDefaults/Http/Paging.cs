using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>The list body of API.md: <c>{ items, page, pageSize, total }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary>A validated <c>?page=&amp;pageSize=</c> pair.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Rows to skip.</summary>
    public int Offset => (Page - 1) * PageSize;

    /// <summary>Reads the query values, adding a field error for anything out of range.</summary>
    public static PageRequest From(int? page, int? pageSize, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p < 1)
        {
            errors.Add("page", "page must be 1 or more.");
        }

        if (size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        // Keeps OFFSET within what PostgreSQL can take even for absurd pages.
        if (p > 1_000_000)
        {
            errors.Add("page", "page must be 1,000,000 or less.");
        }

        return new PageRequest(Math.Max(p, 1), Math.Clamp(size, 1, MaxPageSize));
    }
}
