namespace AidPlatform.Registry.Api.Domain;

public static class DecimalExtensions
{
    /// <summary>Drops the trailing zeros numeric(7,4) adds: 60.0000 reads back as 60.</summary>
    public static decimal Normalize(this decimal value) => value / 1.0000000000000000000000000000m;
}
