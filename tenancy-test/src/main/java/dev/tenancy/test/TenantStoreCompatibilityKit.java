package dev.tenancy.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.TenantStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TenantStore} must have. Extend it in your test suite and return a fresh, empty store:
 *
 * <pre>{@code
 * class JdbcTenantStoreCompatibilityTest extends TenantStoreCompatibilityKit {
 *   @Override
 *   protected TenantStore newStore() {
 *     return new JdbcTenantStore(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Time stamps are whole milliseconds so that stores with coarser clocks than {@link Instant} still round-trip
 * tenants exactly.
 */
public abstract class TenantStoreCompatibilityKit {

  private static final int THREADS = 8;
  private static final Instant CREATED = Instant.parse("2026-02-01T08:30:00.123Z");

  /** The store under test, fresh for every test (set before each test by {@link #newStore()}). */
  protected TenantStore store;

  /** For subclasses. */
  protected TenantStoreCompatibilityKit() {
  }

  /**
   * Creates the store to test.
   *
   * @return a new, empty store that shares nothing with stores returned before
   */
  protected abstract TenantStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  /**
   * A tenant ready to insert, as a test fixture.
   *
   * @param slug its slug
   * @param displayName its display name
   * @param status its status
   * @param tier its tier
   * @return the tenant, at version 0
   */
  protected static Tenant tenant(String slug, String displayName, TenantStatus status, String tier) {
    Instant at = CREATED.truncatedTo(ChronoUnit.MILLIS);
    TenantConfiguration configuration = new TenantConfiguration(tier, Map.of("sso", true),
        Map.of("concurrentUsers", 25L), "2025-01", Map.of("locale", "de-CH"));
    return new Tenant(TenantId.random(), TenantSlug.of(slug), displayName, status, configuration, at, at, 0L, null);
  }

  private static Tenant tenant(String slug) {
    return tenant(slug, "Tenant " + slug, TenantStatus.ACTIVE, "free");
  }

  // ---------------------------------------------------------------- insert and find

  @Test
  void insert_newTenant_isFoundByIdAndBySlug() {
    Tenant tenant = tenant("acme");

    assertThat(store.insert(tenant)).isEqualTo(tenant);

    assertThat(store.findById(tenant.id())).contains(tenant);
    assertThat(store.findBySlug(TenantSlug.of("acme"))).contains(tenant);
    assertThat(store.findById(TenantId.random())).isEmpty();
    assertThat(store.findBySlug(TenantSlug.of("other"))).isEmpty();
  }

  @Test
  void insert_duplicateSlug_throwsSlugAlreadyTakenAndKeepsTheFirst() {
    Tenant first = store.insert(tenant("acme"));

    assertThatThrownBy(() -> store.insert(tenant("acme"))).isInstanceOf(SlugAlreadyTakenException.class);

    assertThat(store.findBySlug(TenantSlug.of("acme"))).contains(first);
    assertThat(store.list(TenantQuery.all()).total()).isEqualTo(1);
  }

  @Test
  void insert_slugOfDeletedTombstone_throwsSlugAlreadyTaken() {
    store.insert(tenant("acme", "Acme", TenantStatus.DELETED, "free"));

    assertThatThrownBy(() -> store.insert(tenant("acme"))).isInstanceOf(SlugAlreadyTakenException.class);
  }

  @Test
  void insert_duplicateId_throwsTenantConflict() {
    Tenant first = store.insert(tenant("acme"));
    Tenant sameId = new Tenant(first.id(), TenantSlug.of("other"), "Other", TenantStatus.TRIAL,
        first.configuration(), first.createdAt(), first.updatedAt(), 0L, null);

    assertThatThrownBy(() -> store.insert(sameId))
        .isInstanceOf(TenantConflictException.class).isNotInstanceOf(SlugAlreadyTakenException.class);

    assertThat(store.findById(first.id())).contains(first);
    assertThat(store.findBySlug(TenantSlug.of("other"))).isEmpty();
  }

  @Test
  void insert_sameSlugFromEightThreads_exactlyOneSucceeds() throws Exception {
    List<Outcome> outcomes = race(i -> () -> store.insert(tenant("acme", "Acme " + i, TenantStatus.TRIAL, "free")));

    assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
    assertThat(outcomes.stream().filter(outcome -> !outcome.succeeded()))
        .hasSize(THREADS - 1)
        .allSatisfy(outcome -> assertThat(outcome.failure).isInstanceOf(SlugAlreadyTakenException.class));
    Tenant winner = outcomes.stream().filter(Outcome::succeeded).findFirst().orElseThrow().tenant;
    assertThat(store.findBySlug(TenantSlug.of("acme"))).contains(winner);
    assertThat(store.list(TenantQuery.all()).total()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- update

  @Test
  void update_currentVersion_incrementsVersionAndReturnsTheStoredValue() {
    Tenant tenant = store.insert(tenant("acme"));
    Instant later = tenant.updatedAt().plusSeconds(60);

    Tenant updated = store.update(tenant.withDisplayName("Acme Ltd", later)
        .withConfiguration(tenant.configuration().withTier("pro"), later));

    assertThat(updated.version()).isEqualTo(tenant.version() + 1);
    assertThat(updated.displayName()).isEqualTo("Acme Ltd");
    assertThat(updated.tier()).isEqualTo("pro");
    assertThat(updated.updatedAt()).isEqualTo(later);
    assertThat(store.findById(tenant.id())).contains(updated);
    assertThat(store.update(updated.withStatus(TenantStatus.SUSPENDED, later)).version())
        .isEqualTo(tenant.version() + 2);
  }

  @Test
  void update_purgeAfter_roundTrips() {
    Tenant tenant = store.insert(tenant("acme"));
    Instant purge = tenant.updatedAt().plusSeconds(86_400);

    Tenant cancelled = store.update(tenant.withStatus(TenantStatus.CANCELLED, tenant.updatedAt())
        .withPurgeAfter(purge, tenant.updatedAt()));

    assertThat(store.findById(tenant.id()).orElseThrow().purgeAfter()).isEqualTo(purge);
    assertThat(cancelled.purgeAfter()).isEqualTo(purge);
  }

  @Test
  void update_staleVersion_throwsConcurrentModificationCarryingBothVersions() {
    Tenant tenant = store.insert(tenant("acme"));
    Tenant current = store.update(tenant.withDisplayName("First", tenant.updatedAt()));

    ConcurrentTenantModificationException failure = catchThrowableOfType(
        ConcurrentTenantModificationException.class,
        () -> store.update(tenant.withDisplayName("Second", tenant.updatedAt())));

    assertThat(failure).isNotNull();
    assertThat(failure.tenantId()).isEqualTo(tenant.id());
    assertThat(failure.expectedVersion()).isEqualTo(tenant.version());
    assertThat(failure.actualVersion()).isEqualTo(current.version());
    assertThat(store.findById(tenant.id())).contains(current);
  }

  @Test
  void update_sameVersionFromEightThreads_exactlyOneWins() throws Exception {
    Tenant tenant = store.insert(tenant("acme"));

    List<Outcome> outcomes = race(i -> () -> store.update(tenant.withDisplayName("Writer " + i,
        tenant.updatedAt())));

    assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
    assertThat(outcomes.stream().filter(outcome -> !outcome.succeeded()))
        .hasSize(THREADS - 1)
        .allSatisfy(outcome -> assertThat(outcome.failure).isInstanceOf(ConcurrentTenantModificationException.class));
    Tenant winner = outcomes.stream().filter(Outcome::succeeded).findFirst().orElseThrow().tenant;
    assertThat(winner.version()).isEqualTo(tenant.version() + 1);
    assertThat(store.findById(tenant.id())).contains(winner);
  }

  @Test
  void update_unknownTenant_throwsNotFound() {
    assertThatThrownBy(() -> store.update(tenant("ghost"))).isInstanceOf(TenantNotFoundException.class);

    assertThat(store.findBySlug(TenantSlug.of("ghost"))).isEmpty();
  }

  // ---------------------------------------------------------------- list

  @Test
  void list_everything_isOrderedBySlugWithTotal() {
    for (String slug : List.of("delta", "alpha", "charlie", "bravo")) {
      store.insert(tenant(slug));
    }

    TenantPage page = store.list(TenantQuery.all());

    assertThat(slugs(page)).containsExactly("alpha", "bravo", "charlie", "delta");
    assertThat(page.total()).isEqualTo(4);
    assertThat(page.hasNext()).isFalse();
  }

  @Test
  void list_filters_matchStatusTierAndTextCaseInsensitively() {
    store.insert(tenant("acme-realty", "Acme Realty", TenantStatus.ACTIVE, "pro"));
    store.insert(tenant("globex", "Globex ACME Division", TenantStatus.SUSPENDED, "free"));
    store.insert(tenant("initech", "Initech", TenantStatus.ACTIVE, "free"));

    assertThat(slugs(store.list(new TenantQuery(TenantStatus.ACTIVE, null, null, 0, 10))))
        .containsExactly("acme-realty", "initech");
    assertThat(slugs(store.list(new TenantQuery(null, "free", null, 0, 10)))).containsExactly("globex", "initech");
    assertThat(slugs(store.list(new TenantQuery(null, null, "AcMe", 0, 10)))).containsExactly("acme-realty", "globex");
    assertThat(slugs(store.list(new TenantQuery(null, null, "division", 0, 10)))).containsExactly("globex");
    TenantPage combined = store.list(new TenantQuery(TenantStatus.ACTIVE, "free", "INI", 0, 10));
    assertThat(slugs(combined)).containsExactly("initech");
    assertThat(combined.total()).isEqualTo(1);
    assertThat(store.list(new TenantQuery(TenantStatus.CANCELLED, null, null, 0, 10)).total()).isZero();
  }

  @Test
  void list_paging_returnsEachPageAndTheTotalOfAllPages() {
    for (int i = 0; i < 7; i++) {
      store.insert(tenant("tenant-" + i));
    }
    TenantQuery firstPage = new TenantQuery(null, null, null, 0, 3);

    TenantPage first = store.list(firstPage);
    TenantPage second = store.list(firstPage.withPage(1));
    TenantPage third = store.list(firstPage.withPage(2));
    TenantPage beyond = store.list(firstPage.withPage(3));

    assertThat(slugs(first)).containsExactly("tenant-0", "tenant-1", "tenant-2");
    assertThat(slugs(second)).containsExactly("tenant-3", "tenant-4", "tenant-5");
    assertThat(slugs(third)).containsExactly("tenant-6");
    assertThat(beyond.items()).isEmpty();
    assertThat(List.of(first, second, third, beyond)).allSatisfy(page -> assertThat(page.total()).isEqualTo(7));
    assertThat(first.hasNext()).isTrue();
    assertThat(third.hasNext()).isFalse();
  }

  // ---------------------------------------------------------------- remove

  @Test
  void remove_existingTenant_deletesRecordAndFreesSlug() {
    Tenant tenant = store.insert(tenant("acme"));

    assertThat(store.remove(tenant.id())).isTrue();

    assertThat(store.findById(tenant.id())).isEmpty();
    assertThat(store.findBySlug(TenantSlug.of("acme"))).isEmpty();
    assertThat(store.list(TenantQuery.all()).total()).isZero();
    Tenant again = store.insert(tenant("acme"));
    assertThat(store.findBySlug(TenantSlug.of("acme"))).contains(again);
  }

  @Test
  void remove_unknownTenant_returnsFalse() {
    assertThat(store.remove(TenantId.random())).isFalse();
  }

  // ---------------------------------------------------------------- provisioning journal

  @Test
  void provisioningRecord_saveFindListRemove_roundTrips() {
    TenantId first = TenantId.random();
    TenantId second = TenantId.random();
    ProvisioningRecord running = new ProvisioningRecord(first, ProvisioningRecord.Operation.PROVISION,
        ProvisioningRecord.State.RUNNING, List.of("schema"), null, CREATED, TenantStatus.ACTIVE);
    ProvisioningRecord failed = new ProvisioningRecord(second, ProvisioningRecord.Operation.DEPROVISION,
        ProvisioningRecord.State.FAILED, List.of(), "step 'keys' failed: timeout", CREATED.plusSeconds(1), null);

    store.saveProvisioningRecord(running);
    store.saveProvisioningRecord(failed);

    assertThat(store.findProvisioningRecord(first)).contains(running);
    assertThat(store.findProvisioningRecord(second)).contains(failed);
    assertThat(store.listProvisioningRecords()).containsExactlyInAnyOrder(running, failed);

    ProvisioningRecord progressed = new ProvisioningRecord(first, ProvisioningRecord.Operation.PROVISION,
        ProvisioningRecord.State.COMPENSATING, List.of("schema", "data-key"), "seed failed", CREATED.plusSeconds(2), TenantStatus.ACTIVE);
    store.saveProvisioningRecord(progressed);
    assertThat(store.findProvisioningRecord(first)).contains(progressed);
    assertThat(store.listProvisioningRecords()).hasSize(2);

    store.removeProvisioningRecord(first);
    assertThat(store.findProvisioningRecord(first)).isEmpty();
    assertThat(store.listProvisioningRecords()).containsExactly(failed);
    store.removeProvisioningRecord(first);
  }

  // ---------------------------------------------------------------- support

  private static List<String> slugs(TenantPage page) {
    return page.items().stream().map(tenant -> tenant.slug().value()).collect(Collectors.toList());
  }

  /** Runs one action per thread, all released together by a barrier, and collects what each got. */
  private static List<Outcome> race(IntFunction<Callable<Tenant>> action) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Tenant>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        Callable<Tenant> task = action.apply(i);
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return task.call();
        }));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Tenant> future : futures) {
        try {
          outcomes.add(new Outcome(future.get(30, TimeUnit.SECONDS), null));
        } catch (ExecutionException e) {
          outcomes.add(new Outcome(null, e.getCause()));
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static final class Outcome {
    final @Nullable Tenant tenant;
    final @Nullable Throwable failure;

    Outcome(@Nullable Tenant tenant, @Nullable Throwable failure) {
      this.tenant = tenant;
      this.failure = failure;
    }

    boolean succeeded() {
      return failure == null;
    }
  }
}
