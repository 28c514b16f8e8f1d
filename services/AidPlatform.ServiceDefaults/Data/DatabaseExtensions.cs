using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>One pooled <see cref="NpgsqlDataSource"/> per service, bound to the service's own schema.</summary>
public static class DatabaseExtensions
{
    /// <summary>The configuration key of the service's connection string.</summary>
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// The key of a connection straight to PostgreSQL, where the other goes through a transaction pool
    /// (pgBouncer): migrations need a session for their advisory lock. Unset, the one connection serves both.
    /// </summary>
    public const string DirectConnectionStringName = "PostgresDirect";

    /// <summary>How many statements each connection keeps prepared, unless the connection string says otherwise.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// Builds the connection string from <c>ConnectionStrings:Postgres</c> with the search path set to the
    /// service's schema, so SQL never names its schema and a role never wanders into another's.
    /// </summary>
    public static string ServiceConnectionString(IConfiguration configuration, string schema) =>
        ForSchema(configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured."), schema);

    /// <summary>The connection for what needs a session of its own (migrations): <c>ConnectionStrings:PostgresDirect</c>, else the service's.</summary>
    public static string DirectConnectionString(IConfiguration configuration, string schema) =>
        configuration.GetConnectionString(DirectConnectionStringName) is { Length: > 0 } direct ? ForSchema(direct, schema) : ServiceConnectionString(configuration, schema);

    private static string ForSchema(string configured, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(configured)
        {
            SearchPath = schema,
            ApplicationName = schema,
        };
        // A statement sent again and again is prepared on its connection after a few uses, so PostgreSQL parses
        // and plans it once rather than every time; it also spares the pool's DISCARD ALL, which would drop
        // the plans. (Parsing and planning were a fifth of the database's CPU for a single POST.)
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    internal static IServiceCollection AddServiceDatabase(this IServiceCollection services, IConfiguration configuration, string schema)
    {
        DapperConfiguration.Apply();
        var connectionString = ServiceConnectionString(configuration, schema);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        return services;
    }
}
