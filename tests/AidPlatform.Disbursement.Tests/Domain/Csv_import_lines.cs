using System.Globalization;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;
using CsvHelper;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Csv_import_lines
{
    [Test]
    public void Read_a_line_into_the_request_a_post_would_send()
    {
        var errors = new ValidationErrors();

        var request = Read($"{Given.Project.Id},commitment,1234.56,EUR,2024-03-15,02,R-7,\"note, with comma\"", errors);

        Assert.That(errors.Any, Is.False);
        Assert.That(request, Is.EqualTo(new DisbursementRequest(Given.Project.Id, "commitment", 1234.56m, "EUR", new(2024, 3, 15), "02", "R-7", "note, with comma")));
    }

    [Test]
    public void Read_empty_type_province_and_description_as_absent()
    {
        var request = Read($"{Given.Project.Id},,10,USD,2024-03-15,,R-7,", new ValidationErrors());

        Assert.That((request.Type, request.ProvinceCode, request.Description), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
    }

    [Test]
    public void Name_each_value_that_does_not_parse_and_still_read_the_rest()
    {
        var errors = new ValidationErrors();

        var request = Read($"{Given.Project.Id},,\"12,5x\",USD,15/03/2024,,R-7,", errors);

        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]>
        {
            ["amount"] = ["amount must be a number such as 1234.56."],
            ["valueDate"] = ["valueDate must be a date as YYYY-MM-DD."],
        }));
        Assert.That((request.ProjectId, request.Amount, request.ValueDate, request.Reference), Is.EqualTo((Given.Project.Id, (decimal?)null, (DateOnly?)null, "R-7")),
            "the project is still named, so the import resolves it as before");
    }

    [Test]
    public void Refuse_a_project_id_that_is_not_a_uuid() =>
        Assert.That(Faults("not-a-uuid,,10,USD,2024-03-15,,R-7,"), Is.EqualTo(new Dictionary<string, string[]> { ["projectId"] = ["projectId must be a UUID."] }));

    [Test]
    public void Refuse_a_nul_character_in_a_text_field() =>
        Assert.That(Faults($"{Given.Project.Id},,10,USD,2024-03-15,,R\0-7,a\0b"), Is.EqualTo(new Dictionary<string, string[]>
        {
            ["reference"] = ["reference must not contain a NUL character."],
            ["description"] = ["description must not contain a NUL character."],
        }));

    [Test]
    public void Accept_a_header_naming_every_column_in_any_order()
    {
        Assert.That(CsvImport.HasHeader(CsvImport.Header.Split(',').Reverse().Append("extra").ToArray()), Is.True);
        Assert.That(CsvImport.HasHeader(CsvImport.Header.Split(',').Skip(1).ToArray()), Is.False);
        Assert.That(CsvImport.HasHeader(null), Is.False);
    }

    private static Dictionary<string, string[]> Faults(string line)
    {
        var errors = new ValidationErrors();
        Read(line, errors);
        return errors.Faults();
    }

    private static DisbursementRequest Read(string line, ValidationErrors errors)
    {
        using var csv = new CsvReader(new StringReader($"{CsvImport.Header}\n{line}\n"), CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        csv.Read();
        return CsvImport.Read(csv, CsvImport.ColumnsOf(csv.HeaderRecord)!, errors);
    }
}
