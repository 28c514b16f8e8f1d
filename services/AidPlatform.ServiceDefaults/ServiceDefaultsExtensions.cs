using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Health;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.OpenApi;
using AidPlatform.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace AidPlatform.ServiceDefaults;

/// <summary>What every AidPlatform service adds before its own endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Registers, in this order: the schema migration (before anything touches the database), the data
    /// source, problem details, health checks, Swagger, MassTransit with the outbox relay and the inbox.
    /// </summary>
    /// <typeparam name="TProgram">The service's entry type; its assembly carries migrations and consumers.</typeparam>
    /// <param name="builder">The web application builder.</param>
    /// <param name="name">The service's name: its schema, its queue prefix, its Swagger title.</param>
    /// <param name="configureConsumers">Adds the service's consumers to the bus.</param>
    public static WebApplicationBuilder AddServiceDefaults<TProgram>(this WebApplicationBuilder builder, string name, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var service = new ServiceSchema(name, typeof(TProgram).Assembly);
        var services = builder.Services;
        services.AddSingleton(service);

        // One JSON object per log line outside Development, for a log pipeline to index; readable text locally.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        }

        services.AddHostedService<MigrationHostedService>();
        services.AddServiceDatabase(builder.Configuration, name);

        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            json.SerializerOptions.Converters.Add(new TextWithoutNul());
        });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Before AddProblemDetails: the first writer that can write wins, and ours always can.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddSecurity(builder.Configuration);

        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSingleton<EndpointCatalogue>();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = $"AidPlatform {char.ToUpperInvariant(name[0])}{name[1..]} API",
                Version = "v1",
                Description = "See shared/contract/API.md for the contract this document describes.",
            });
            swagger.SupportNonNullableReferenceTypes();
            swagger.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with role ministry, partner (with ngo_id) or auditor. Locally: deploy/local/token --role ministry",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            // operationIds come from WithName, so generated clients keep their method names.
            swagger.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
            swagger.AddContractConventions(name);
        });

        services.AddMessaging(builder.Configuration, service, configureConsumers);
        return builder;
    }

    /// <summary>Problem details on every error path, the contract's HTTP conventions, health and Swagger.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The OpenAPI document and UI are open to all: served before authentication, whose fallback
        // policy also covers requests no endpoint matched.
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.SwaggerEndpoint("/swagger/v1/swagger.json", "v1"));
        // After the status code pages, so that a 401 or 403 is a problem detail too.
        app.UseSecurity();
        // The contract's conventions, for every endpoint alike, before the endpoint binds anything:
        // strict query strings, PUT preconditions, content negotiation, then idempotency keys (which
        // must not store an answer those refused).
        app.UseMiddleware<StrictQueryMiddleware>();
        app.UseMiddleware<PreconditionsMiddleware>();
        app.UseMiddleware<ContentNegotiation.Middleware>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.Write }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.Write }).AllowAnonymous();

        return app;
    }
}
