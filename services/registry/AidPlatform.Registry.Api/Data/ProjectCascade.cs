using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// What a certificate's change does to its NGO's projects, in the certificate's own transaction (API.md: "Suspension
/// and revocation suspend the NGO's open projects that no other valid certificate covers", and reinstatement
/// resumes them). Called after every action, once the certificate row, its interruptions and history are written
/// and before its event is enqueued; the NGO and the certificate rows are locked by then.
/// </summary>
internal static class ProjectCascade
{
    /// <summary>Runs after <paramref name="action"/> (amend, extend, suspend, reinstate or revoke) on certificate <paramref name="registrationId"/> of <paramref name="ngoId"/>.</summary>
    public static Task AfterCertificateChange(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid ngoId, Guid registrationId,
        string action, CancellationToken cancellationToken)
    {
        // TODO(project approval states): on suspend and revoke, suspend the NGO's open projects that no other valid
        // certificate covers (with their approval history and ProjectUpdated events, in this transaction); on
        // reinstate, resume those this certificate's suspension suspended. Amend and extend may uncover or cover a
        // project's provinces too: decide there. Until that is wired, a certificate's change leaves projects as they are.
        _ = (connection, transaction, ngoId, registrationId, action, cancellationToken);
        return Task.CompletedTask;
    }
}
