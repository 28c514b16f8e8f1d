using AidPlatform.Chaos;

// tests/chaos prepares the servers, the database and the vhost, then runs this.
var options = ChaosOptions.Parse(args);
return await ChaosRun.Execute(options);
