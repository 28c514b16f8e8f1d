using NUnit.Framework;

namespace AidPlatform.Testing;

/// <summary>
/// A fixture of specs against one service in process. <see cref="StartService"/> runs once before the first
/// spec and returns the service's factory (starting first, through <see cref="Own{T}"/>, the fakes and event
/// taps the service is to meet); after the last spec everything owned is disposed, the last started first.
/// </summary>
public abstract class ServiceSpecs<TProgram>
    where TProgram : class
{
    private readonly Stack<object> owned = [];

    /// <summary>The service under test.</summary>
    protected ServiceFactory<TProgram> Factory { get; private set; } = null!;

    /// <summary>A client of the service carrying a ministry token.</summary>
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start_the_service()
    {
        Factory = Own(await StartService());
        Client = Own(Factory.CreateClient().As("ministry"));
    }

    [OneTimeTearDown]
    public async Task Stop_the_service()
    {
        while (owned.TryPop(out var resource))
        {
            switch (resource)
            {
                case IAsyncDisposable disposable:
                    await disposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    protected abstract Task<ServiceFactory<TProgram>> StartService();

    /// <summary>Disposes <paramref name="resource"/> after the last spec, before whatever was owned earlier.</summary>
    protected T Own<T>(T resource)
        where T : class
    {
        owned.Push(resource);
        return resource;
    }
}
