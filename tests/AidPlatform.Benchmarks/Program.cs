using AidPlatform.Benchmarks;

// dotnet run -c Release --project tests/AidPlatform.Benchmarks -- [ingest|single-post|lag|projection|reports|memory|all] [--out FILE]
return await BenchmarkRunner.Run(args);
