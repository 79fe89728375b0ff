package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.MigrationSummary;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link MigrationStatusStore} must do; subclasses supply the store. */
abstract class MigrationStatusStoreContract {

  private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

  /** @return an empty store */
  abstract MigrationStatusStore store();

  @Test
  void insert_newTarget_isReadBackEqual() {
    MigrationStatusStore store = store();
    TenantId tenant = TenantId.random();
    TenantMigrationStatus status = new TenantMigrationStatus(tenant.toString(), tenant, "tenant_acme",
        MigrationState.FAILED, "1.1", "1.2", "FlywayException: boom", 3, "run-1", NOW, NOW.plusSeconds(2), null,
        NOW.plusSeconds(2), 7);

    assertThat(store.insert(status)).isTrue();

    assertThat(store.find(tenant.toString())).contains(status);
    assertThat(store.statusOf(tenant)).contains(status);
    assertThat(store.statuses()).containsExactly(status);
  }

  @Test
  void insert_sharedTargetAndRunningRecord_keepTheirNullsAndLease() {
    MigrationStatusStore store = store();
    TenantMigrationStatus shared = TenantMigrationStatus.pendingShared("public", NOW);
    TenantId tenant = TenantId.random();
    TenantMigrationStatus running = new TenantMigrationStatus(tenant.toString(), tenant, "tenant_b",
        MigrationState.RUNNING, null, null, null, 1, "run-2", NOW, null, NOW.plus(10, ChronoUnit.MINUTES), NOW, 0);

    store.insert(shared);
    store.insert(running);

    assertThat(store.find("shared:public")).contains(shared);
    assertThat(store.find(tenant.toString())).contains(running);
    assertThat(store.statusOf(TenantId.random())).isEmpty();
  }

  @Test
  void insert_existingTarget_isRefusedAndChangesNothing() {
    MigrationStatusStore store = store();
    TenantId tenant = TenantId.random();
    TenantMigrationStatus first = TenantMigrationStatus.pending(tenant, "tenant_a", NOW);
    store.insert(first);

    boolean inserted = store.insert(new TenantMigrationStatus(tenant.toString(), tenant, "tenant_a",
        MigrationState.DONE, "1", "2", null, 1, "run", NOW, NOW, null, NOW, 0));

    assertThat(inserted).isFalse();
    assertThat(store.statusOf(tenant)).contains(first);
  }

  @Test
  void replace_currentRevision_storesTheNextRecord() {
    MigrationStatusStore store = store();
    TenantId tenant = TenantId.random();
    TenantMigrationStatus first = TenantMigrationStatus.pending(tenant, "tenant_a", NOW);
    store.insert(first);
    TenantMigrationStatus next = running(first, "run-1");

    assertThat(store.replace(first, next)).isTrue();

    assertThat(store.statusOf(tenant)).contains(next);
  }

  @Test
  void replace_staleRevision_isRefusedAndChangesNothing() {
    MigrationStatusStore store = store();
    TenantId tenant = TenantId.random();
    TenantMigrationStatus first = TenantMigrationStatus.pending(tenant, "tenant_a", NOW);
    store.insert(first);
    TenantMigrationStatus winner = running(first, "run-1");
    store.replace(first, winner);

    boolean replaced = store.replace(first, running(first, "run-2"));

    assertThat(replaced).isFalse();
    assertThat(store.statusOf(tenant)).contains(winner);
  }

  @Test
  void replace_missingRecord_isRefused() {
    TenantMigrationStatus ghost = TenantMigrationStatus.pending(TenantId.random(), "tenant_ghost", NOW);

    assertThat(store().replace(ghost, running(ghost, "run"))).isFalse();
  }

  @Test
  void replace_notTheNextRevisionOrAnotherTarget_isAProgrammingError() {
    MigrationStatusStore store = store();
    TenantMigrationStatus first = TenantMigrationStatus.pending(TenantId.random(), "tenant_a", NOW);
    TenantMigrationStatus other = TenantMigrationStatus.pending(TenantId.random(), "tenant_b", NOW);
    store.insert(first);

    assertThatThrownBy(() -> store.replace(first, first)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.replace(first, running(other, "run")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replace_manyClaimantsAtOnce_exactlyOneWins() throws Exception {
    MigrationStatusStore store = store();
    TenantMigrationStatus first = TenantMigrationStatus.pending(TenantId.random(), "tenant_a", NOW);
    store.insert(first);
    int claimants = 8;
    CyclicBarrier together = new CyclicBarrier(claimants);
    ExecutorService threads = Executors.newFixedThreadPool(claimants);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < claimants; i++) {
        String runId = "run-" + i;
        Callable<Boolean> claim = () -> {
          together.await();
          return store.replace(first, running(first, runId));
        };
        results.add(threads.submit(claim));
      }
      int won = 0;
      for (Future<Boolean> result : results) {
        won += result.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void statusesAndSummary_listByLocationAndCountByState() {
    MigrationStatusStore store = store();
    TenantMigrationStatus b = TenantMigrationStatus.pending(TenantId.random(), "tenant_b", NOW);
    TenantMigrationStatus a = TenantMigrationStatus.pending(TenantId.random(), "tenant_a", NOW);
    TenantMigrationStatus c = TenantMigrationStatus.pending(TenantId.random(), "tenant_c", NOW);
    store.insert(b);
    store.insert(a);
    store.insert(c);
    TenantMigrationStatus running = running(c, "run");
    store.replace(c, running);

    assertThat(store.statuses()).extracting(TenantMigrationStatus::location)
        .containsExactly("tenant_a", "tenant_b", "tenant_c");
    assertThat(store.statuses(MigrationState.PENDING)).containsExactly(a, b);
    assertThat(store.statuses(MigrationState.FAILED)).isEmpty();
    assertThat(store.summary()).isEqualTo(new MigrationSummary(2, 1, 0, 0));
    assertThat(store().summary().total()).isZero();
  }

  private static TenantMigrationStatus running(TenantMigrationStatus from, String runId) {
    return new TenantMigrationStatus(from.target(), from.tenant(), from.location(), MigrationState.RUNNING,
        from.versionAfter(), null, null, from.attempts() + 1, runId, NOW, null, NOW.plusSeconds(600), NOW,
        from.revision() + 1);
  }
}
