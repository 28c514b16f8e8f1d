namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>The <c>RabbitMq</c> configuration section. Defaults match <c>deploy/local/up</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 55672;

    public string VirtualHost { get; set; } = "aidplatform";

    public string Username { get; set; } = "aidplatform";

    public string Password { get; set; } = "aidplatform-local";

    /// <summary>Unacknowledged deliveries per consumer; RabbitMQ recommends 100-300, MassTransit's 2-core default is 4.</summary>
    public int PrefetchCount { get; set; } = 128;
}
