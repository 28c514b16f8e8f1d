using NUnit.Framework;

namespace AidPlatform.Testing;

/// <summary>
/// A fixture of specs against the three services as processes: <see cref="Platform"/> starts before the
/// first spec (a fixture's own one-time set-up runs after, with the services up) and stops after the last.
/// </summary>
/// <param name="options">The database, vhost and settings; the end-to-end ones by default.</param>
public abstract class PlatformSpecs(PlatformOptions? options = null)
{
    protected Platform Platform { get; } = new(options);

    [OneTimeSetUp]
    public Task Start_the_services() => Platform.StartAll();

    [OneTimeTearDown]
    public async Task Stop_the_services() => await Platform.DisposeAsync();
}
