using System.Globalization;
using AidPlatform.ServiceDefaults.Validation;
using CsvHelper;
using CsvHelper.Configuration;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// The rate upload's format: the header <see cref="Header"/> (columns in any order, others ignored), then one
/// rate a line, each line held to <see cref="ExchangeRateRules.ValidateLine"/>. All or nothing: faults are keyed
/// <c>lines[n].field</c>, line 1 being the first after the header (as the ledger's import counts its rows).
/// </summary>
public static class ExchangeRateCsv
{
    public const string Header = "month,currency,unitsPerUsd";

    /// <summary>Two centuries of every carried currency fit many times over.</summary>
    public const int MaxLines = 50_000;

    /// <summary>Faults listed at most: a wholly wrong file needs no 150,000-entry answer.</summary>
    public const int MaxFaults = 1_000;

    private static readonly string[] Names = Header.Split(',');

    /// <summary>
    /// The file's rates, one per currency and month, in file order; or null with the file's faults: a missing
    /// header, no lines, more than <see cref="MaxLines"/>, each line's invalid values, and a currency-month given twice.
    /// </summary>
    public static IReadOnlyList<RateChange>? Read(TextReader text, IReadOnlyDictionary<string, int> carried, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(carried);
        ArgumentNullException.ThrowIfNull(errors);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null, MissingFieldFound = null, DetectColumnCountChanges = false, TrimOptions = TrimOptions.Trim,
        });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header || !Names.All(header.Contains))
        {
            errors.Add("header", $"The first line must be the header {Header}.");
            return null;
        }

        int At(string name) => Array.IndexOf(header, name);
        var (month, currency, unitsPerUsd) = (At("month"), At("currency"), At("unitsPerUsd"));
        var rates = new List<RateChange>();
        var lineOf = new Dictionary<(string Currency, DateOnly Month), long>();
        long line = 0;
        while (csv.Read())
        {
            if (++line > MaxLines)
            {
                errors.Add("file", $"The file has more than {MaxLines:N0} lines; upload it in parts.");
                return null;
            }

            if (errors.Count >= MaxFaults)
            {
                errors.Add("file", $"The file has more faults than the {MaxFaults:N0} listed.");
                return null;
            }

            var prefix = $"lines[{line}].";
            if (ExchangeRateRules.ValidateLine(csv.GetField(month), csv.GetField(currency), csv.GetField(unitsPerUsd), carried, errors, prefix) is not { } rate)
            {
                continue;
            }

            if (lineOf.TryGetValue((rate.Currency, rate.Month), out var first))
            {
                errors.Add(prefix + "month", $"{rate.Currency} {rate.Month:yyyy-MM} is also on line {first}: one rate per currency and month.");
            }
            else
            {
                lineOf.Add((rate.Currency, rate.Month), line);
                rates.Add(rate);
            }
        }

        errors.Require(line > 0, "file", "The file has a header but no lines.");
        return errors.Any ? null : rates;
    }
}
