namespace AidPlatform.Registry.Api.Data;

/// <summary>The registry's unique constraints, and the 409 each clash answers.</summary>
internal static class Constraints
{
    public static readonly IReadOnlyDictionary<string, string> Messages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ngos_iati_org_ref"] = "An NGO with this iatiOrgRef is already registered.",
        ["ngos_name_country"] = "An NGO with this name and country of origin is already registered.",
        ["registrations_certificate_number_key"] = "A registration with this certificateNumber is already recorded.",
        ["projects_iati_identifier"] = "A project with this iatiIdentifier is already registered.",
    };
}
