package dev.tenancy.jdbc.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import dev.tenancy.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link JdbcUsageStore} must do on every database it supports; run on H2 and PostgreSQL. */
abstract class UsageStoreContract {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final YearMonth JANUARY = YearMonth.of(2026, 1);

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-20T12:00:00Z"));
  private DataSource dataSource;
  private String schema;

  /** @return a DataSource on a database this test may create schemas in */
  protected abstract DataSource dataSource();

  @BeforeEach
  void pickSchema() {
    dataSource = dataSource();
    schema = "usage_" + SCHEMAS.incrementAndGet();
  }

  private JdbcUsageStore store() {
    return JdbcUsageStore.builder().dataSource(dataSource).schema(schema).build();
  }

  private QuotaManager manager(JdbcUsageStore usage) {
    return QuotaManager.builder()
        .store(InMemoryQuotaStore.builder().clock(clock).build())
        .clock(clock)
        .usageStore(usage)
        .flushInterval(Duration.ofHours(1))
        .build();
  }

  private static TenantInfo tenant(long apiCallsPerMonth) {
    return new TenantInfo(TenantId.random(), TenantSlug.of("acme"), TenantStatus.ACTIVE, new EffectiveConfiguration(
        "pro", Map.of(), Map.of(StandardLimit.API_CALLS_PER_MONTH.key(), apiCallsPerMonth), null, Map.of()));
  }

  @Test
  void save_thenLoad_roundTripsThePeriodsCountersOnly() {
    JdbcUsageStore store = store();
    store.save(Map.of("{a}:apiCalls", 7L, "{b}:apiCalls", 0L), JANUARY);
    store.save(Map.of("{a}:apiCalls", 1L), JANUARY.plusMonths(1));

    assertThat(store.load(JANUARY)).isEqualTo(Map.of("{a}:apiCalls", 7L, "{b}:apiCalls", 0L));
    assertThat(store.load(JANUARY.plusMonths(1))).isEqualTo(Map.of("{a}:apiCalls", 1L));
    assertThat(store.load(JANUARY.minusMonths(1))).isEmpty();
  }

  @Test
  void save_lowerValueThanStored_keepsTheGreater() {
    JdbcUsageStore store = store();
    store.save(Map.of("{a}:apiCalls", 10L, "{b}:apiCalls", 3L), JANUARY);

    store.save(Map.of("{a}:apiCalls", 4L, "{b}:apiCalls", 5L), JANUARY);

    assertThat(store.load(JANUARY)).isEqualTo(Map.of("{a}:apiCalls", 10L, "{b}:apiCalls", 5L));
  }

  @Test
  void save_invalidCounter_refusedAndNothingOfTheBatchSaved() {
    JdbcUsageStore store = store();

    assertThatThrownBy(() -> store.save(Map.of("{a}:apiCalls", 1L, "x".repeat(201), 1L), JANUARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save(Map.of("{a}:apiCalls", -1L), JANUARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.load(JANUARY)).isEmpty();
  }

  @Test
  void save_fourInstancesFlushingOverlappingCountersAtOnce_noDeadlockAndTheMaximumWins() throws Exception {
    JdbcUsageStore store = store();
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long value = 100 + t;
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int round = 0; round < 10; round++) {
            Map<String, Long> batch = new HashMap<>();
            for (int c = 0; c < 20; c++) {
              batch.put("{t" + c + "}:apiCalls", value + round);
            }
            store.save(batch, JANUARY);
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.load(JANUARY)).hasSize(20).allSatisfy((name, value) -> assertThat(value).isEqualTo(112L));
  }

  @Test
  void restart_newManagerOverTheSameDatabase_keepsTheCount() {
    TenantInfo acme = tenant(10);
    try (QuotaManager before = manager(store())) {
      for (int i = 0; i < 8; i++) {
        before.check(acme);
      }
    }

    try (QuotaManager after = manager(store())) {
      assertThat(after.usage(acme).apiCalls().used()).isEqualTo(8);
      assertThat(after.check(acme).isAllowed()).isTrue();
      assertThat(after.check(acme).isAllowed()).isTrue();
      assertThat(after.check(acme).resource()).as("the 11th call of a 10-call month").contains(QuotaResource.API_CALLS);
    }
  }

  @Test
  void build_schemaAlreadyHoldsTheTenantStore_migratesBesideIt() {
    JdbcTenantStore tenants = JdbcTenantStore.builder().dataSource(dataSource).schema(schema)
        .changeNotifications(false).build();
    try {
      JdbcUsageStore usage = store();
      JdbcUsageStore again = store();
      usage.save(Map.of("{a}:apiCalls", 1L), JANUARY);

      assertThat(again.load(JANUARY)).containsEntry("{a}:apiCalls", 1L);
    } finally {
      tenants.close();
    }
  }

  /** Both stores share one migration mechanism: either may come first into a shared schema. */
  @Test
  void build_tenantStoreMigratesIntoASchemaTheUsageStoreCreatedFirst() {
    JdbcUsageStore usage = store();
    usage.save(Map.of("{a}:apiCalls", 3L), JANUARY);
    JdbcTenantStore tenants = JdbcTenantStore.builder().dataSource(dataSource).schema(schema)
        .changeNotifications(false).build();
    try {
      assertThat(tenants.findBySlug(TenantSlug.of("acme"))).isEmpty();
      assertThat(store().load(JANUARY)).containsEntry("{a}:apiCalls", 3L);
    } finally {
      tenants.close();
    }
  }

  @Test
  void build_defaultSchemas_usageStoreBuiltBeforeTheTenantStoreBreaksNothing() {
    JdbcUsageStore usage = JdbcUsageStore.builder().dataSource(dataSource).build();
    JdbcTenantStore tenants = JdbcTenantStore.builder().dataSource(dataSource).changeNotifications(false).build();
    try {
      usage.save(Map.of("{a}:apiCalls", 2L), JANUARY);

      JdbcUsageStore reopened = JdbcUsageStore.builder().dataSource(dataSource).build();
      assertThat(reopened.load(JANUARY)).containsEntry("{a}:apiCalls", 2L);
      assertThat(tenants.findBySlug(TenantSlug.of("acme"))).isEmpty();
    } finally {
      tenants.close();
    }
  }
}
