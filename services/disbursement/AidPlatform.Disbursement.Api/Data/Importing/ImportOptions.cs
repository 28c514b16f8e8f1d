namespace AidPlatform.Disbursement.Api.Data.Importing;

/// <summary>The <c>Imports</c> configuration section.</summary>
public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Where uploaded files wait for the worker; instances that share imports must share it.</summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "aidplatform-imports");

    /// <summary>At most this many row errors are kept: enough to fix a file, not enough to exhaust memory.</summary>
    public int MaxErrors { get; set; } = 1_000;
}
