using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>How every CSV upload arrives: a <c>text/csv</c> body, or the <c>file</c> part of a <c>multipart/form-data</c> body.</summary>
internal static class CsvUploads
{
    /// <summary>The CSV as a stream, read as it arrives; or the refusal (400, 415) of a request that carries neither.</summary>
    public static async Task<(Stream? Csv, ProblemHttpResult? Refusal)> Open(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        if (type?.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            return (request.Body, null);
        }

        if (type?.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true
            && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary)
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (section.GetContentDispositionHeader()?.Name.Value?.Trim('"') == "file")
                {
                    return (section.Body, null);
                }
            }

            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed request",
                detail: "The multipart/form-data body has no part named file."));
        }

        return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: "Send the CSV file as a text/csv body, or as the part named file of a multipart/form-data body."));
    }

    /// <summary>A small upload read whole into memory (the request's size limit bounds it), for a parser that reads synchronously.</summary>
    public static async Task<MemoryStream> Buffer(Stream csv, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await csv.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }
}
