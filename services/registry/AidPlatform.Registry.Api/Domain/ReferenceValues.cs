using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

public sealed record FormerProvinceRef(string Code, string Name);

public sealed record ProvinceDto(string Code, string Name, [property: AllowedValues("city", "province")] string Kind, IReadOnlyList<FormerProvinceRef> FormerProvinces);

public sealed record FormerProvinceDto(string Code, string Name, string CurrentCode);

public sealed record DacSectorDto(string Code, string Name, string CategoryCode, string CategoryName, [property: AllowedValues("category", "purpose")] string Kind, bool Withdrawn);
