using System.Globalization;
using System.Text;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>Text folded for search: lower case, no diacritics (đ to d), single spaces. "Hà  Nội" becomes "ha noi".</summary>
public static class SearchText
{
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            folded.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
        }

        return folded.ToString();
    }

    /// <summary>A LIKE pattern matching the folded text anywhere, with LIKE's own characters escaped.</summary>
    public static string Contains(string query) =>
        "%" + Fold(query).Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
