using System.Collections.Concurrent;
using MassTransit;

namespace AidPlatform.Testing;

/// <summary>
/// A bus of the test's own on the real broker: a private auto-delete queue, bound to the event types
/// <see cref="Listen"/> names before the test writes anything, collecting what arrives; it publishes too,
/// as a service (or a redelivering broker) would.
/// </summary>
public sealed class EventTap : IAsyncDisposable
{
    private readonly IBusControl bus;

    private EventTap(IBusControl bus) => this.bus = bus;

    /// <summary>Every message received, in arrival order.</summary>
    public ConcurrentQueue<object> All { get; } = new();

    /// <summary>For publishing.</summary>
    public IBus Bus => bus;

    /// <summary>The received messages of one type, in arrival order.</summary>
    public IEnumerable<T> Of<T>() => All.OfType<T>();

    /// <summary>Starts a tap on <paramref name="virtualHost"/> (the test vhost by default) collecting the types <paramref name="collect"/> names; none, for a publisher only.</summary>
    public static async Task<EventTap> Listen(Action<Subscriptions>? collect = null, string? virtualHost = null)
    {
        var subscriptions = new Subscriptions();
        collect?.Invoke(subscriptions);
        EventTap? tap = null;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, TestEnvironment.RabbitPort, virtualHost ?? TestEnvironment.RabbitVirtualHost, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            if (subscriptions.Handlers.Count > 0)
            {
                cfg.ReceiveEndpoint(TestEnvironment.UniqueName("event-tap"), e =>
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                    foreach (var handler in subscriptions.Handlers)
                    {
                        handler(e, message => tap!.All.Enqueue(message));
                    }
                });
            }
        });
        tap = new EventTap(bus);
        await bus.StartAsync();
        return tap;
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();

    /// <summary>The event types a tap collects.</summary>
    public sealed class Subscriptions
    {
        internal List<Action<IReceiveEndpointConfigurator, Action<object>>> Handlers { get; } = [];

        public Subscriptions Collect<T>()
            where T : class
        {
            Handlers.Add((endpoint, add) => endpoint.Handler<T>(context =>
            {
                add(context.Message);
                return Task.CompletedTask;
            }));
            return this;
        }
    }
}
