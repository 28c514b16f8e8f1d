using AidPlatform.ServiceDefaults.Errors;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>
/// Turns a unique violation into the 409 naming what clashed, by constraint name. Checking first is not
/// enough: two writers can both pass the check, and the unique index is what decides between them.
/// </summary>
public static class UniqueViolations
{
    public const string Otherwise = "The request clashes with an existing record.";

    /// <summary>Runs <paramref name="write"/>; a unique violation becomes a <see cref="ConflictException"/> with the constraint's message.</summary>
    public static async Task<T> AsConflict<T>(Func<Task<T>> write, IReadOnlyDictionary<string, string> messages)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException(e.ConstraintName is { } name && messages.TryGetValue(name, out var message) ? message : Otherwise);
        }
    }
}
