using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// What a certificate's change does to its NGO's projects, in the certificate's own transaction (API.md: "Suspension
/// and revocation suspend the NGO's open projects that no other valid certificate covers", and reinstatement
/// resumes them). Called after every action, once the certificate row, its interruptions and history are written
/// and before its event is enqueued; the NGO and the certificate rows are locked by then. Amending and extending
/// move no project: a project's provinces were checked against the certificates when it was registered, and the
/// ledger checks every entry against the certificates valid on its date.
/// </summary>
internal static class ProjectCascade
{
    /// <summary>Runs after <paramref name="action"/> (amend, extend, suspend, reinstate or revoke) on certificate <paramref name="registrationId"/> of <paramref name="ngoId"/>.</summary>
    public static Task AfterCertificateChange(ApprovalStore approvals, NpgsqlTransaction transaction, Guid ngoId, Guid registrationId, string certificateNumber, string action) => action switch
    {
        "suspend" or "revoke" => approvals.SuspendUncovered(transaction, ngoId, registrationId,
            $"Certificate {certificateNumber} was {(action == "suspend" ? "suspended" : "revoked")} and no other valid certificate covers the project."),
        "reinstate" => approvals.ResumeCovered(transaction, ngoId, $"Certificate {certificateNumber} was reinstated."),
        _ => Task.CompletedTask,
    };
}
