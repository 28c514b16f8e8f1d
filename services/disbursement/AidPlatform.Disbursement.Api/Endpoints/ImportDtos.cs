using System.ComponentModel.DataAnnotations;
using AidPlatform.Disbursement.Api.Domain;

namespace AidPlatform.Disbursement.Api.Endpoints;

public sealed record ImportAccepted(Guid Id);

/// <summary>An import's status, progress and row errors.</summary>
public sealed record ImportStatus(Guid Id, [property: AllowedValues("queued", "running", "succeeded", "failed")] string Status, long RowsTotal, long RowsDone, IReadOnlyList<ImportError> Errors);
