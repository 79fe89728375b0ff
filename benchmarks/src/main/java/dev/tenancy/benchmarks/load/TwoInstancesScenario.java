package dev.tenancy.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.KeyGenerator;

/**
 * Scenario (d): two app instances, each its own JVM started from this jar, sharing one PostgreSQL database (RLS) and
 * one Redis (quota counters), as two replicas behind a load balancer would. Every tenant's requests alternate between
 * the instances. Reports p95 per instance, then proves the quota stays exact across instances: a tenant with a
 * monthly cap gets exactly {@code cap} successes summed over both, and both instances report {@code cap} used.
 */
final class TwoInstancesScenario {

  static final double TARGET_P95_MS = 50;

  private final LoadScenarios.Options options;

  TwoInstancesScenario(LoadScenarios.Options options) {
    this.options = options;
  }

  void run(Summary summary) throws Exception {
    int tenants = options.tenantsOr(20, 100);
    int seconds = options.secondsOr(12, 120);
    double rate = options.rateOr(2);
    int cap = options.quick() ? 300 : 1000;
    String redis = PostgresFixture.redisUrl();
    Path work = Files.createTempDirectory("tenancy-load-two");
    try (PostgresFixture pg = PostgresFixture.create()) {
      // What replicas share besides the databases: the JWT secret, the KEK (a keystore file) and ./data's secrets.
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TENANCY_JWT_SECRET", AppInstance.jwtSecret());
      env.put("TENANCY_DB_URL", pg.url());
      env.put("TENANCY_DB_USER", PostgresFixture.ADMIN_USER);
      env.put("TENANCY_DB_APP_USER", pg.appRole());
      env.put("TENANCY_REDIS_URL", redis);
      env.put("TENANCY_MASTER_KEY_FILE", keystore(work, "load-test").toString());
      env.put("TENANCY_MASTER_KEY_PASSWORD", "load-test");
      System.out.printf("two-instances: %d tenants x %.1f req/s alternating over 2 JVMs, PostgreSQL RLS + Redis "
          + "quotas, %d s (%s); then a %d-call monthly cap%n", tenants, rate, seconds, Mix.crud(), cap);
      HttpClient http = LoadGenerator.client();
      TenantApi api = new TenantApi(http);
      try (AppInstance a = AppInstance.process("instance-a", env, work, "1g", "--port=0")) {
        // B starts once A has migrated the schema and written ./data, and adopts A's platform key.
        Map<String, String> envB = new LinkedHashMap<>(env);
        envB.put("TENANCY_ADMIN_API_KEY", a.adminApiKey());
        try (AppInstance b = AppInstance.process("instance-b", envB, work, "1g", "--port=0")) {
          String adminA = api.token(a.base(), a.adminApiKey());
          String adminB = api.token(b.base(), b.adminApiKey());
          List<TenantApi.Tenant> provisioned = api.provision(a.base(), adminA, tenants, 5, 4,
              slug -> TenantApi.tenantBody(slug, "pro", Map.of()));
          List<TenantLoad> load = new ArrayList<>();
          for (TenantApi.Tenant t : provisioned) {
            load.add(new TenantLoad(t.slug(), "tenants", t.token(), rate, Mix.crud(), List.of(a.base(), b.base()),
                t.seedLeads()));
          }
          List<String> instances = List.of(a.name(), b.name());
          LoadGenerator generator = new LoadGenerator(http, 64);
          generator.warmUp(load, options.quick() ? 3_000 : 20_000, instances);
          LoadRecorder run = generator.run(load, Duration.ofSeconds(seconds), instances);
          run.print(System.out, "two instances, " + tenants + " tenants");
          Map<String, LoadRecorder> phases = Map.of("two-instances", run);
          LoadRecorder.writeTenants(options.out().resolve("two-instances-tenants.csv"), phases);
          LoadRecorder.writeGroups(options.out().resolve("two-instances-groups.csv"), phases);
          new LatencyPlot("two instances: " + tenants + " tenants x " + rate + " req/s, PostgreSQL RLS + Redis")
              .line("all tenants", run.p95PerSecond("tenants")).target(TARGET_P95_MS)
              .write(options.out().resolve("two-instances-p95.svg"));

          summary.info("tenants", tenants, "count");
          summary.info("offered rate", tenants * rate, "req/s");
          for (int i = 0; i < 2; i++) {
            LoadRecorder.Stats s = run.instance(i);
            summary.atMost("p95 " + instances.get(i), CrudScenario.round(s.p(95)), "ms", TARGET_P95_MS);
            summary.info("p99 " + instances.get(i), CrudScenario.round(s.p(99)), "ms");
            summary.info("requests " + instances.get(i), s.count(), "count");
          }
          LoadRecorder.Stats all = run.group("tenants");
          summary.exactly("errors", all.errors.sum(), "count", 0);
          summary.info("429 responses", all.throttled.sum(), "count");

          quota(api, a, b, adminA, adminB, cap, summary);
        }
      }
    } finally {
      AppInstance.delete(work);
    }
  }

  /** Fires {@code cap + cap/10} calls at one capped tenant, alternating instances, 16 at a time. */
  private static void quota(TenantApi api, AppInstance a, AppInstance b, String adminA, String adminB, int cap,
      Summary summary) throws Exception {
    TenantApi.Tenant capped = api.provision(a.base(), adminA, 1, 0, 1, slug -> TenantApi.tenantBody(slug, "pro",
        Map.of("apiCallsPerMonth", (long) cap, "requestsPerSecond", 1_000_000L, "maxConcurrentRequests", 1000L)))
        .get(0);
    int calls = cap + cap / 10;
    List<URI> bases = List.of(a.base(), b.base());
    AtomicLongArray ok = new AtomicLongArray(2);
    AtomicLongArray refused = new AtomicLongArray(2);
    AtomicLongArray other = new AtomicLongArray(2);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int instance = i % 2;
        futures.add(pool.submit(() -> {
          int status = api.send(bases.get(instance), "GET", "/api/v1/me", capped.token(), null).statusCode();
          (status == 200 ? ok : status == 429 ? refused : other).incrementAndGet(instance);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long usedA = api.usedCalls(a.base(), adminA, capped.id());
    long usedB = api.usedCalls(b.base(), adminB, capped.id());
    System.out.printf("%nquota across instances: cap %d, %d calls -> 200: %d (a) + %d (b), 429: %d (a) + %d (b), "
        + "other: %d; usage reported by a: %d, by b: %d%n", cap, calls, ok.get(0), ok.get(1), refused.get(0),
        refused.get(1), other.get(0) + other.get(1), usedA, usedB);
    summary.info("quota cap (apiCallsPerMonth)", cap, "calls");
    summary.info("quota calls sent (both instances)", calls, "calls");
    summary.exactly("quota successes summed over instances", ok.get(0) + ok.get(1), "calls", cap);
    summary.info("quota successes on instance-a", ok.get(0), "calls");
    summary.info("quota successes on instance-b", ok.get(1), "calls");
    summary.exactly("quota 429s summed over instances", refused.get(0) + refused.get(1), "calls", calls - cap);
    summary.exactly("usage reported by instance-a", usedA, "calls", cap);
    summary.exactly("usage reported by instance-b", usedB, "calls", cap);
  }

  /** A PKCS#12 keystore with one AES-256 KEK under the app's default alias, shared by both instances. */
  private static Path keystore(Path dir, String password) throws Exception {
    Path file = dir.resolve("kek.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, password.toCharArray());
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    store.setEntry("tenancy-kek", new KeyStore.SecretKeyEntry(generator.generateKey()),
        new KeyStore.PasswordProtection(password.toCharArray()));
    try (var out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
