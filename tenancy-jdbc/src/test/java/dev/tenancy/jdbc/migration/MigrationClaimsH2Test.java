package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Claims, leases and resume: several runs over the same tenants — interleaved deterministically, truly concurrent, or
 * one of them dead — never migrate a tenant twice and never lose a tenant.
 */
class MigrationClaimsH2Test {

  private final JdbcDataSource database = new JdbcDataSource();

  MigrationClaimsH2Test() {
    database.setURL("jdbc:h2:mem:claims_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  @Test
  void run_tenantLeftRunningByACrashedRun_isTakenOverOnceItsLeaseRanOut() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    Tenant tenant = fixture.tenant(1);
    Instant crashedAt = Instant.now().minus(Duration.ofHours(1));
    statuses.insert(running(fixture, tenant, "crashed-run", crashedAt.plus(Duration.ofMinutes(10))));

    MigrationReport report = fixture.waves(statuses).build().run();

    assertThat(report.complete()).isTrue();
    assertThat(report.migrated()).isEqualTo(2);
    TenantMigrationStatus status = statuses.statusOf(tenant.id()).orElseThrow();
    assertThat(status.state()).isEqualTo(MigrationState.DONE);
    assertThat(status.attempts()).isEqualTo(2);
    assertThat(status.runId()).isEqualTo(report.runId());
    assertThat(fixture.hasRelease2(tenant)).isTrue();
  }

  @Test
  void run_tenantHeldByALiveRun_isLeftToThatRun() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    Tenant tenant = fixture.tenant(2);
    TenantMigrationStatus held = running(fixture, tenant, "live-run", Instant.now().plus(Duration.ofMinutes(5)));
    statuses.insert(held);

    MigrationReport report = fixture.waves(statuses).build().run();

    assertThat(report.heldElsewhere()).isEqualTo(1);
    assertThat(report.migrated()).isEqualTo(1);
    assertThat(report.complete()).isFalse();
    assertThat(statuses.statusOf(tenant.id())).contains(held);
    assertThat(fixture.hasRelease2(tenant)).isFalse();
  }

  /**
   * Run B starts while run A holds the first tenant, before A's Flyway touches it: B must skip that tenant and do the
   * others; A, coming back, must find the others done by B instead of migrating them again.
   */
  @Test
  void run_secondRunStartsWhileTheFirstMigrates_noTenantIsMigratedTwice() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 5);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    RecordingListener everyStart = new RecordingListener();
    MigrationWaves runB = fixture.waves(statuses).canaryCount(0).listener(everyStart).build();
    AtomicReference<MigrationReport> reportB = new AtomicReference<>();
    MigrationWaves runA = fixture.waves(statuses).canaryCount(0).parallelism(1).listener(everyStart)
        .listener(new MigrationListener() {
          @Override
          public void started(TenantMigrationStatus running) {
            if (reportB.get() == null) {
              reportB.set(runB.run());
            }
          }
        })
        .build();

    MigrationReport reportA = runA.run();

    assertThat(everyStart.started).hasSize(5).allSatisfy((schema, count) -> assertThat(count).hasValue(1));
    assertThat(reportB.get().heldElsewhere()).isEqualTo(1);
    assertThat(reportB.get().migrated()).isEqualTo(4);
    assertThat(reportA.migrated()).isEqualTo(1);
    assertThat(reportA.upToDate()).as("finished by B after A started").isEqualTo(4);
    assertThat(statuses.summary().done()).isEqualTo(5);
  }

  /** Two app instances — each with its own JDBC status store on the shared database — start at the same moment. */
  @Test
  void run_twoInstancesAtOnce_migrateEachTenantExactlyOnce() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 12);
    RecordingListener everyStart = new RecordingListener();
    MigrationStatusStore storeA = JdbcMigrationStatusStore.builder().dataSource(database).build();
    MigrationStatusStore storeB = JdbcMigrationStatusStore.builder().dataSource(database).build();
    CyclicBarrier together = new CyclicBarrier(2);
    MigrationWaves[] instances = {
        fixture.waves(storeA).canaryCount(0).parallelism(3).waveSize(4).listener(everyStart).build(),
        fixture.waves(storeB).canaryCount(0).parallelism(3).waveSize(4).listener(everyStart).build()};
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<MigrationReport> a = threads.submit(() -> {
        together.await();
        return instances[0].run();
      });
      Future<MigrationReport> b = threads.submit(() -> {
        together.await();
        return instances[1].run();
      });
      MigrationReport reportA = a.get();
      MigrationReport reportB = b.get();

      assertThat(everyStart.started).hasSize(12).allSatisfy((schema, count) -> assertThat(count).hasValue(1));
      assertThat(reportA.migrated() + reportB.migrated()).isEqualTo(12);
      assertThat(reportA.failed() + reportB.failed()).isZero();
      assertThat(storeA.summary().done()).isEqualTo(12);
      for (Tenant tenant : fixture.tenants) {
        assertThat(fixture.hasRelease2(tenant)).isTrue();
      }
    } finally {
      threads.shutdown();
    }
  }

  /**
   * Run A's lease runs out while it migrates (it stalled), and run B takes the tenant over and finishes it. When A
   * comes back, its outcome must not overwrite B's record.
   */
  @Test
  void run_leaseRanOutWhileMigrating_theRunThatTookOverKeepsTheRecord() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 1);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    MutableClock clock = new MutableClock();
    MigrationWaves runB = fixture.waves(statuses).clock(clock).build();
    AtomicReference<MigrationReport> reportB = new AtomicReference<>();
    MigrationWaves runA = fixture.waves(statuses).clock(clock).lease(Duration.ofMinutes(10))
        .listener(new MigrationListener() {
          @Override
          public void started(TenantMigrationStatus running) {
            clock.advance(Duration.ofMinutes(11));
            reportB.set(runB.run());
          }
        })
        .build();

    MigrationReport reportA = runA.run();

    assertThat(reportB.get().migrated()).isEqualTo(1);
    assertThat(reportA.heldElsewhere()).isEqualTo(1);
    assertThat(reportA.migrated()).isZero();
    TenantMigrationStatus status = statuses.statusOf(fixture.tenant(1).id()).orElseThrow();
    assertThat(status.runId()).isEqualTo(reportB.get().runId());
    assertThat(status.state()).isEqualTo(MigrationState.DONE);
    assertThat(status.attempts()).isEqualTo(2);
  }

  @Test
  void run_whileATenantMigrates_itsLeaseIsRenewed() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 1);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    AtomicReference<MigrationReport> intruder = new AtomicReference<>();
    MigrationWaves other = fixture.waves(statuses).build();
    MigrationWaves waves = fixture.waves(statuses).lease(Duration.ofMillis(600)).listener(new MigrationListener() {
      @Override
      public void started(TenantMigrationStatus running) {
        // Hold the tenant past two lease lengths: only renewals keep the claim alive meanwhile.
        Instant firstLease = running.leaseUntil();
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses.find(running.target()).orElseThrow()
            .leaseUntil().isAfter(firstLease.plusMillis(700)));
        intruder.set(other.run());
      }
    }).build();

    MigrationReport report = waves.run();

    assertThat(intruder.get().heldElsewhere()).isEqualTo(1);
    assertThat(report.migrated()).isEqualTo(1);
    assertThat(statuses.statusOf(fixture.tenant(1).id()).orElseThrow().leaseUntil()).isNull();
  }

  private static TenantMigrationStatus running(WavesFixture fixture, Tenant tenant, String runId, Instant leaseUntil) {
    Instant started = leaseUntil.minus(Duration.ofMinutes(10));
    return new TenantMigrationStatus(tenant.id().toString(), tenant.id(), fixture.schema(tenant),
        MigrationState.RUNNING, "1", null, null, 1, runId, started, null, leaseUntil, started, 3);
  }
}
