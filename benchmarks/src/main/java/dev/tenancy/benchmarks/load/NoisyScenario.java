package dev.tenancy.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario (b): quiet tenants at a normal rate, alone (the baseline) and while one more tenant sends ten times that
 * rate, in alternating blocks pooled per condition. Every tenant is on the built-in {@code pro} tier with {@code requestsPerSecond} overridden to five
 * times the quiet rate: the quiet tenants stay far below it, the noisy one exceeds it twice over and must be
 * throttled (429) by its own bucket. Targets: the quiet tenants' p95 with the noisy one ≤ 1.5× their p95 alone; the
 * noisy tenant gets 429s, the quiet ones none.
 */
final class NoisyScenario {

  static final double TARGET_RATIO = 1.5;

  private final LoadScenarios.Options options;

  NoisyScenario(LoadScenarios.Options options) {
    this.options = options;
  }

  void run(Summary summary) throws Exception {
    int quiet = options.tenantsOr(50, 50);
    int seconds = options.secondsOr(6, 20);
    int blocks = options.quick() ? 2 : 4;
    double rate = options.rateOr(2);
    long limit = Math.round(rate * 5);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TENANCY_JWT_SECRET", AppInstance.jwtSecret());
    env.put("TENANCY_DB_URL", "h2:mem");
    System.out.printf("noisy: %d quiet tenants x %.1f req/s, then + 1 tenant x %.1f req/s; requestsPerSecond limit "
        + "%d (pro tier override) for all; %d blocks of %d s per condition (%s)%n", quiet, rate, rate * 10, limit, blocks,
        seconds, Mix.crud());
    HttpClient http = LoadGenerator.client();
    TenantApi api = new TenantApi(http);
    try (AppInstance app = AppInstance.start("app", options.inProcess(), env, "--port=0")) {
      URI base = app.base();
      String admin = api.token(base, app.adminApiKey());
      List<TenantApi.Tenant> provisioned = api.provision(base, admin, quiet + 1, 5, 1,
          slug -> TenantApi.tenantBody(slug, "pro", Map.of("requestsPerSecond", limit)));
      List<TenantLoad> quietLoad = new ArrayList<>();
      for (TenantApi.Tenant t : provisioned.subList(0, quiet)) {
        quietLoad.add(new TenantLoad(t.slug(), "quiet", t.token(), rate, Mix.crud(), List.of(base), t.seedLeads()));
      }
      TenantApi.Tenant n = provisioned.get(quiet);
      TenantLoad noisy = new TenantLoad(n.slug(), "noisy", n.token(), rate * 10, Mix.crud(), List.of(base),
          n.seedLeads());
      List<TenantLoad> both = new ArrayList<>(quietLoad);
      both.add(noisy);

      LoadGenerator generator = new LoadGenerator(http, 64);
      List<String> instances = List.of(app.name());
      generator.warmUp(both, (options.quick() ? 3_000 : 10_000), instances);
      // Let the noisy tenant's bucket refill after the warm-up, so the baseline starts from a rested app.
      Thread.sleep(2000);
      // Alternating blocks (alone, with noisy, alone, …) pool each condition over the whole run, so drift — JIT,
      // GC, another process on the machine — falls on both sides instead of deciding the ratio.
      List<LoadRecorder> aloneBlocks = new ArrayList<>();
      List<LoadRecorder> noisyBlocks = new ArrayList<>();
      LatencyPlot plot = new LatencyPlot("noisy neighbour: " + quiet + " quiet tenants x " + rate
          + " req/s; + 1 tenant at 10x in alternate blocks");
      List<double[]> quietSeries = new ArrayList<>();
      List<double[]> noisySeries = new ArrayList<>();
      for (int block = 0; block < blocks; block++) {
        LoadRecorder a = generator.run(quietLoad, Duration.ofSeconds(seconds), instances);
        aloneBlocks.add(a);
        quietSeries.add(a.p95PerSecond("quiet"));
        noisySeries.add(nan(seconds));
        LoadRecorder n2 = generator.run(both, Duration.ofSeconds(seconds), instances);
        noisyBlocks.add(n2);
        quietSeries.add(n2.p95PerSecond("quiet"));
        noisySeries.add(n2.p95PerSecond("noisy"));
        plot.marker((2 * block + 1) * seconds, "noisy on");
        if (block > 0) {
          plot.marker(2 * block * seconds, "off");
        }
      }
      LoadRecorder alone = LoadRecorder.merge(aloneBlocks);
      LoadRecorder withNoisy = LoadRecorder.merge(noisyBlocks);
      alone.print(System.out, "quiet tenants alone (" + blocks + " blocks of " + seconds + " s)");
      withNoisy.print(System.out, "quiet tenants + 1 noisy tenant at 10x (" + blocks + " blocks of " + seconds
          + " s)");

      Map<String, LoadRecorder> phases = new LinkedHashMap<>();
      phases.put("alone", alone);
      phases.put("with-noisy", withNoisy);
      LoadRecorder.writeTenants(options.out().resolve("noisy-tenants.csv"), phases);
      LoadRecorder.writeGroups(options.out().resolve("noisy-groups.csv"), phases);
      plot.line("quiet tenants", concat(quietSeries)).line("noisy tenant (incl. 429s)", concat(noisySeries))
          .write(options.out().resolve("noisy-p95.svg"));

      LoadRecorder.Stats q1 = alone.group("quiet");
      LoadRecorder.Stats q2 = withNoisy.group("quiet");
      LoadRecorder.Stats nz = withNoisy.group("noisy");
      summary.info("quiet tenants", quiet, "count");
      summary.info("quiet rate per tenant", rate, "req/s");
      summary.info("noisy rate offered", rate * 10, "req/s");
      summary.info("requestsPerSecond limit (every tenant)", limit, "req/s");
      summary.info("quiet p95 alone (baseline)", CrudScenario.round(q1.p(95)), "ms");
      summary.info("quiet p95 with noisy", CrudScenario.round(q2.p(95)), "ms");
      summary.atMost("quiet p95 ratio with/without noisy", CrudScenario.round(q2.p(95) / q1.p(95)), "x",
          TARGET_RATIO);
      summary.info("quiet p99 ratio with/without noisy", CrudScenario.round(q2.p(99) / q1.p(99)), "x");
      summary.info("worst quiet tenant p95 with noisy", CrudScenario.round(worst(withNoisy, "quiet")), "ms");
      summary.exactly("quiet 429 responses (both phases)", q1.throttled.sum() + q2.throttled.sum(), "count", 0);
      summary.positive("noisy 429 responses", nz.throttled.sum(), "count");
      summary.info("noisy accepted rate", CrudScenario.round(nz.ok.sum() / (double) (seconds * blocks)), "req/s");
      summary.exactly("errors (both phases)", q1.errors.sum() + q2.errors.sum() + nz.errors.sum(), "count", 0);
      summary.info("generator send lag p99 (with noisy)", CrudScenario.round(withNoisy.sendLagP99()), "ms");
    }
  }

  private static double worst(LoadRecorder run, String group) {
    double worst = 0;
    for (String tenant : run.tenantsOf(group)) {
      worst = Math.max(worst, run.tenant(tenant).p(95));
    }
    return worst;
  }

  private static double[] nan(int length) {
    double[] values = new double[length];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  private static double[] concat(List<double[]> parts) {
    double[] all = new double[0];
    for (double[] part : parts) {
      int at = all.length;
      all = Arrays.copyOf(all, at + part.length);
      System.arraycopy(part, 0, all, at, part.length);
    }
    return all;
  }
}
