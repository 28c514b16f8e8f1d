using Npgsql;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>Which database errors are of the moment (worth waiting out) rather than of the request.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// The server cannot be reached, is starting up, shutting down or full: a 503 to a caller, a wait for a
    /// consumer's inbox.
    /// </summary>
    public static bool IsUnavailable(NpgsqlException exception) =>
        exception is { IsTransient: true }
        || exception is PostgresException
        {
            SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        };
}
