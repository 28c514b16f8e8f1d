using System.Reflection;

namespace AidPlatform.ServiceDefaults;

/// <summary>
/// Who the running service is: its name, which is also its PostgreSQL schema and the prefix of its
/// queues, and the assembly that carries its migrations and consumers.
/// </summary>
public sealed record ServiceSchema(string Name, Assembly Assembly);
