namespace AidPlatform.Disbursement.Api.Data.Importing;

/// <summary>Wakes the import worker as soon as a file is accepted, rather than at its next poll.</summary>
public sealed class ImportSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            try { signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public void Dispose() => signal.Dispose();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}
