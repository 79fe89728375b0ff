package dev.tenancy.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario (a): many tenants at once, each sending the CRUD mix at a steady rate, on H2 (schema per tenant, the
 * default) or PostgreSQL with row-level security ({@code --db pg}). Target: p95 ≤ 50 ms.
 */
final class CrudScenario {

  static final double TARGET_P95_MS = 50;

  private final LoadScenarios.Options options;

  CrudScenario(LoadScenarios.Options options) {
    this.options = options;
  }

  void run(Summary summary) throws Exception {
    int tenants = options.tenantsOr(100, 100);
    int seconds = options.secondsOr(10, 120);
    double rate = options.rateOr(2);
    String db = options.db();
    PostgresFixture pg = db.equals("pg") ? PostgresFixture.create() : null;
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TENANCY_JWT_SECRET", AppInstance.jwtSecret());
      List<String> flags = new ArrayList<>(List.of("--port=0"));
      if (pg != null) {
        env.put("TENANCY_DB_URL", pg.url());
        env.put("TENANCY_DB_USER", PostgresFixture.ADMIN_USER);
        env.put("TENANCY_DB_APP_USER", pg.appRole());
      } else {
        env.put("TENANCY_DB_URL", "h2:mem");
      }
      String mode = pg != null ? "PostgreSQL RLS" : "H2 schema per tenant";
      System.out.printf("crud: %d tenants x %.1f req/s (%s), %d s, app %s%n", tenants, rate, Mix.crud(), seconds,
          options.inProcess() ? "in-process" : "in its own JVM");
      HttpClient http = LoadGenerator.client();
      TenantApi api = new TenantApi(http);
      try (AppInstance app = AppInstance.start("app", options.inProcess(), env, flags.toArray(String[]::new))) {
        URI base = app.base();
        String admin = api.token(base, app.adminApiKey());
        long provisionStart = System.nanoTime();
        List<TenantApi.Tenant> provisioned = api.provision(base, admin, tenants, 5, pg != null ? 4 : 1,
            slug -> TenantApi.tenantBody(slug, "pro", Map.of()));
        double provisionMs = (System.nanoTime() - provisionStart) / 1e6 / tenants;
        List<TenantLoad> load = new ArrayList<>();
        for (TenantApi.Tenant t : provisioned) {
          load.add(new TenantLoad(t.slug(), "crud", t.token(), rate, Mix.crud(), List.of(base), t.seedLeads()));
        }
        LoadGenerator generator = new LoadGenerator(http, 64);
        generator.warmUp(load, (options.quick() ? 3_000 : 10_000), List.of(app.name()));
        LoadRecorder run = generator.run(load, Duration.ofSeconds(seconds), List.of(app.name()));
        run.print(System.out, "crud on " + mode + ", " + tenants + " tenants");

        String suffix = "-" + db;
        Map<String, LoadRecorder> phases = Map.of("crud" + suffix, run);
        LoadRecorder.writeTenants(options.out().resolve("crud" + suffix + "-tenants.csv"), phases);
        LoadRecorder.writeGroups(options.out().resolve("crud" + suffix + "-groups.csv"), phases);
        new LatencyPlot("crud: " + tenants + " tenants x " + rate + " req/s, " + mode)
            .line("all tenants", run.p95PerSecond("crud")).target(TARGET_P95_MS)
            .write(options.out().resolve("crud" + suffix + "-p95.svg"));

        LoadRecorder.Stats all = run.group("crud");
        summary.info("tenants", tenants, "count");
        summary.info("offered rate (" + db + ")", tenants * rate, "req/s");
        summary.info("throughput (" + db + ")", all.count() / (double) seconds, "req/s");
        summary.atMost("p95 all requests (" + db + ")", round(all.p(95)), "ms", TARGET_P95_MS);
        summary.info("p50 all requests (" + db + ")", round(all.p(50)), "ms");
        summary.info("p99 all requests (" + db + ")", round(all.p(99)), "ms");
        summary.info("p95 GET /api/v1/me (" + db + ")", round(run.operation("crud", Mix.Op.ME).p(95)), "ms");
        summary.info("p95 GET /api/v1/leads/{id} (" + db + ")", round(run.operation("crud", Mix.Op.GET).p(95)), "ms");
        summary.info("p95 POST /api/v1/leads (" + db + ")", round(run.operation("crud", Mix.Op.CREATE).p(95)), "ms");
        summary.info("429 responses (" + db + ")", all.throttled.sum(), "count");
        summary.exactly("errors (" + db + ")", all.errors.sum(), "count", 0);
        summary.info("generator send lag p99 (" + db + ")", round(run.sendLagP99()), "ms");
        summary.info("provisioning wall time per tenant, " + (pg != null ? 4 : 1) + " at a time (" + db + ")", round(provisionMs), "ms");
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
