using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;
using static AidPlatform.Reporting.Tests.Reporting_indicators;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// Policy markers and results travel as the registry publishes them: the newest version of a project or a result
/// wins whatever the order of arrival, and a redelivery or an older state changes nothing.
/// </summary>
public sealed class Projecting_markers_and_results : ProjectionSpecs
{
    private async Task<List<(string, decimal)>> MarkerRows(Guid ngo) =>
        [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by=policyMarker&ngoId={ngo}")).GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("disbursedUsd").GetDecimal()))];

    private async Task<List<(string, decimal?, decimal?, decimal?)>> IndicatorRows(Guid ngo) =>
        [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/indicators?ngoId={ngo}")).GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("reference").GetString()!, Number(r, "baseline"), Number(r, "target"), Number(r, "actual")))];

    private static decimal? Number(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDecimal();

    [Test]
    public async Task A_project_s_markers_follow_its_newest_state_and_an_older_one_arriving_late_changes_nothing()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)], markers: [("1", 2), ("12", 1)]));
        await Publish(Disbursement(ngo, project, 75.00m));
        await WaitForTotal(ngo, 75.00m);
        Assert.That(await MarkerRows(ngo), Is.EqualTo(new[] { ("1", 75.00m), ("12", 75.00m) }));

        await Publish(Project(ngo, project, 3, [("01", 100m)], updated: true, markers: [("7", 1)]));
        await Eventually.True(async () => (await MarkerRows(ngo)).SequenceEqual([("7", 75.00m)]), "the markers to be replaced by version 3's");
        var stale = Project(ngo, project, 2, [("01", 100m)], updated: true, markers: [("5", 2)]);
        var staleId = Guid.NewGuid();
        await Publish(stale, staleId);
        await WaitForProjected(staleId);

        Assert.That(await MarkerRows(ngo), Is.EqualTo(new[] { ("7", 75.00m) }));
    }

    [Test]
    public async Task A_result_update_arriving_before_the_result_ends_in_the_newer_state_and_redeliveries_change_nothing()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        var recorded = Result(ngo, project, 1, [Indicator("unit", 10m, [Sdg("2.1.1")], Period(2024, 1, 20m, 15m, null))]);
        var updated = Updated(recorded, 2, [Indicator("unit", 12m, [Sdg("2.1.1")], Period(2024, 1, 30m, 25m, null))]);

        // The update overtakes the result it updates.
        await Publish(updated, updated.EventId);
        await Eventually.True(async () => (await IndicatorRows(ngo)).SequenceEqual([("2.1.1", 12m, 30m, 25m)]), "version 2 to be reported");
        await Publish(recorded, recorded.EventId);
        await WaitForProjected(recorded.EventId);
        Assert.That(await IndicatorRows(ngo), Is.EqualTo(new[] { ("2.1.1", (decimal?)12m, (decimal?)30m, (decimal?)25m) }), "version 1 arriving late");

        // The same update redelivered, and another state under the same version: neither changes anything.
        var sameVersion = Updated(recorded, 2, [Indicator("unit", 99m, [Sdg("9.9.9")], Period(2024, 1, 99m, 99m, null))]);
        await Publish(updated, updated.EventId);
        await Publish(sameVersion, sameVersion.EventId);
        await WaitForProjected(sameVersion.EventId);
        Assert.That(await IndicatorRows(ngo), Is.EqualTo(new[] { ("2.1.1", (decimal?)12m, (decimal?)30m, (decimal?)25m) }), "a redelivery and an equal version");

        // A newer state replaces the whole result: its indicator moves to another SDG code.
        var newer = Updated(recorded, 3, [Indicator("unit", 0m, [Sdg("2.2.1")], Period(2025, 1, 5m, 4m, null))]);
        await Publish(newer, newer.EventId);
        await Eventually.True(async () => (await IndicatorRows(ngo)).SequenceEqual([("2.2.1", 0m, 5m, 4m)]), "version 3 to replace the result");
    }
}
