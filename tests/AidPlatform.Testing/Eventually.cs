namespace AidPlatform.Testing;

/// <summary>Polls a condition until it holds or a deadline passes: the only way tests wait.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> is true; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Timed out waiting for {what}.", last);
    }

    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), what, timeout);
}
