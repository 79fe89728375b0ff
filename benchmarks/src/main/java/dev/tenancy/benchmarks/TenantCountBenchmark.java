package dev.tenancy.benchmarks;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaPermit;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library's in-memory part of a request, step by step, as the number of tenants grows: what makes the per-request
 * CPU of scenario (c) depend on the tenant count.
 *
 * <p>Every benchmark serves the next tenant of a random sequence over all {@code tenants} ({@code served=all}), as a
 * busy instance serving all its tenants does, or over the first 100 of them only ({@code served=100}: the library
 * knows all, a hot set is served). Comparing the two at 10,000 tenants separates work that grows with the number of
 * tenants known (there should be none) from the cost of a working set that no longer fits the processor's caches:
 *
 * <ul>
 *   <li>{@link #pick}: choosing the tenant alone (reading its id from the array) — the floor of all the others;
 *   <li>{@link #find}: {@link TenantService#find} through the {@link JdbcTenantStore}'s cache (H2 in memory; every
 *       tenant is cached in setup, so no query runs);
 *   <li>{@link #info}: {@link TenantService#info} on an already found tenant (configuration resolved from its tier);
 *   <li>{@link #enter}: {@link TenantContext#enter} and closing the scope, on an already resolved {@link TenantInfo};
 *   <li>{@link #check}: {@link QuotaManager#check} on the in-memory store and closing the permit;
 *   <li>{@link #request}: all four in a row, as {@code ScaleScenarios} measures it.
 * </ul>
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TenantCountBenchmark {

  private static final String TIER = "scale";
  /** Length of the random sequence of tenants; a power of two so that the next index is a mask. */
  private static final int SEQUENCE = 1 << 16;
  private static final Duration RATE_INTERVAL = Duration.ofNanos(1);
  private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  /** The tenants, the library's objects and the random sequence. */
  @State(Scope.Benchmark)
  public static class Tenants {

    @Param({"100", "1000", "10000"})
    int tenants;

    /** How many of them are served: {@code all}, or only the first {@code 100} (a hot set among many known). */
    @Param({"all", "100"})
    String served;

    JdbcTenantStore store;
    TenantService service;
    QuotaManager quotas;
    InMemoryQuotaStore bareStore;
    String[] rateKeys;
    String[] counterKeys;
    TenantId[] ids;
    Tenant[] found;
    TenantInfo[] infos;
    int[] sequence;

    @Setup(Level.Trial)
    public void create() {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:count-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      store = JdbcTenantStore.builder().dataSource(h2).cacheTtl(Duration.ofHours(1)).build();
      TierCatalog catalog = TierCatalog.builtIn().toBuilder()
          .tier(new Tier(TIER, Map.of("requestsPerSecond", 1_000_000_000L, "apiCallsPerMonth", 1_000_000_000_000L,
              "maxConcurrentRequests", 1_000L), Map.of()))
          .build();
      service = TenantService.builder().store(store)
          .resolver(TenantConfigurationResolver.of(catalog, EnvironmentOverrides.none())).build();
      quotas = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
      ids = new TenantId[tenants];
      found = new Tenant[tenants];
      infos = new TenantInfo[tenants];
      for (int i = 0; i < tenants; i++) {
        ids[i] = service.create(NewTenant.of(String.format("t-%06d", i), "Tenant " + i).withTier(TIER)
            .withInitialStatus(TenantStatus.ACTIVE)).id();
      }
      for (int i = 0; i < tenants; i++) {
        found[i] = service.find(ids[i]).orElseThrow();
        infos[i] = service.info(found[i]);
        try (QuotaPermit permit = quotas.check(infos[i]).permit()) {
          // Creates the tenant's quota state, as its first request would.
        }
      }
      bareStore = new InMemoryQuotaStore();
      rateKeys = new String[tenants];
      counterKeys = new String[tenants];
      for (int i = 0; i < tenants; i++) {
        rateKeys[i] = "tenancy:{" + ids[i] + "}:rate";
        counterKeys[i] = "tenancy:{" + ids[i] + "}:apiCalls:2026-11";
        bareStore.admit(rateKeys[i], RATE_INTERVAL, RATE_INTERVAL, counterKeys[i], Long.MAX_VALUE, FAR_FUTURE);
      }
      SplittableRandom random = new SplittableRandom(42);
      sequence = new int[SEQUENCE];
      for (int i = 0; i < SEQUENCE; i++) {
        sequence[i] = random.nextInt("all".equals(served) ? tenants : Math.min(tenants, Integer.parseInt(served)));
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      quotas.close();
      store.close();
    }
  }

  /** Where this thread is in the sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance(int[] sequence) {
      int index = sequence[next];
      next = (next + 1) & (SEQUENCE - 1);
      return index;
    }
  }

  @Benchmark
  public TenantId pick(Tenants tenants, Cursor cursor) {
    return tenants.ids[cursor.advance(tenants.sequence)];
  }

  @Benchmark
  public Tenant find(Tenants tenants, Cursor cursor) {
    return tenants.service.find(tenants.ids[cursor.advance(tenants.sequence)]).orElseThrow();
  }

  @Benchmark
  public TenantInfo info(Tenants tenants, Cursor cursor) {
    return tenants.service.info(tenants.found[cursor.advance(tenants.sequence)]);
  }

  @Benchmark
  public TenantId enter(Tenants tenants, Cursor cursor) {
    try (TenantScope scope = TenantContext.enter(tenants.infos[cursor.advance(tenants.sequence)])) {
      return TenantContext.require().id();
    }
  }

  @Benchmark
  public boolean check(Tenants tenants, Cursor cursor) {
    QuotaDecision decision = tenants.quotas.check(tenants.infos[cursor.advance(tenants.sequence)]);
    try (QuotaPermit permit = decision.permit()) {
      return decision.isAllowed();
    }
  }

  @Benchmark
  public boolean storeAdmit(Tenants tenants, Cursor cursor) {
    int index = cursor.advance(tenants.sequence);
    return tenants.bareStore.admit(tenants.rateKeys[index], RATE_INTERVAL, RATE_INTERVAL, tenants.counterKeys[index],
        Long.MAX_VALUE, FAR_FUTURE).allowed();
  }

  @Benchmark
  public boolean request(Tenants tenants, Cursor cursor) {
    Tenant tenant = tenants.service.find(tenants.ids[cursor.advance(tenants.sequence)]).orElseThrow();
    TenantInfo info = tenants.service.info(tenant);
    try (TenantScope scope = TenantContext.enter(info)) {
      QuotaDecision decision = tenants.quotas.check(info);
      try (QuotaPermit permit = decision.permit()) {
        return decision.isAllowed();
      }
    }
  }
}
