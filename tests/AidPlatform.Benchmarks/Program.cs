using AidPlatform.Benchmarks;

// dotnet run -c Release --project tests/AidPlatform.Benchmarks -- [ingest|single-post|lag|freshness|projection|reports|memory|all] [--rows N] [--out FILE]
return await BenchmarkRunner.Run(args);
