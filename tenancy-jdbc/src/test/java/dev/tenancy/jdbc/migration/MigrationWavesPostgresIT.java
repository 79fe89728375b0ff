package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.MigrationSummary;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.PostgresSupport;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The acceptance story on the real PostgreSQL: 200 schema tenants migrated in waves, one of them failing; the failure
 * repaired and resumed; then a no-op run that must recognise 200 current tenants quickly.
 */
class MigrationWavesPostgresIT {

  private static final int TENANTS = 200;
  /** Generous: the no-op run takes well under a second here; a per-tenant Flyway run would take many seconds. */
  private static final Duration NO_OP_BOUND = Duration.ofSeconds(5);

  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(10);
    config.setPoolName("waves-admin");
    pool = new HikariDataSource(config);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void twoHundredSchemaTenants_oneFails_resumeCompletes_andASecondRunIsAQuickNoOp() throws Exception {
    long provisioning = System.nanoTime();
    WavesFixture fixture = new WavesFixture(pool, "tenant_", TENANTS);
    log("provisioned %d tenants at release 1 in %d ms", TENANTS, millisSince(provisioning));
    Tenant broken = fixture.tenant(137);
    fixture.breakRelease2(broken);
    JdbcMigrationStatusStore statuses = JdbcMigrationStatusStore.builder().dataSource(pool).build();
    RecordingListener listener = new RecordingListener();
    MigrationWaves waves = fixture.waves(statuses).canaryCount(2).waveSize(50).parallelism(4).listener(listener)
        .build();

    // 1. Waves: the broken tenant fails with its error, every other one is migrated.
    MigrationReport first = waves.run();
    log("first run: %s", first);

    assertThat(first.migrated()).isEqualTo(TENANTS - 1);
    assertThat(first.failed()).isEqualTo(1);
    assertThat(first.stoppedBecause()).isNull();
    assertThat(listener.waves).containsExactly(1, 2, 3, 4);
    assertThat(statuses.summary()).isEqualTo(new MigrationSummary(0, 0, TENANTS - 1, 1));
    TenantMigrationStatus failed = statuses.statusOf(broken.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(MigrationState.FAILED);
    assertThat(failed.error()).contains("V2__attachments.sql").contains("relation \"attachments\" already exists");
    assertThat(failed.versionBefore()).isEqualTo("1");
    assertThat(failed.versionAfter()).isEqualTo("1");
    assertThat(statuses.statuses(MigrationState.FAILED)).containsExactly(failed);
    for (Tenant tenant : fixture.tenants) {
      assertThat(fixture.hasRelease2(tenant)).as(tenant.slug().value()).isEqualTo(tenant != broken);
    }
    // PostgreSQL's DDL is transactional: the failed migration left nothing behind, not even a history row.
    assertThat(fixture.single("SELECT COUNT(*) FROM \"" + fixture.schema(broken) + "\".flyway_schema_history"
        + " WHERE NOT success")).isEqualTo("0");

    // 2. The operator removes the conflicting table; the next run resumes just that tenant.
    fixture.repair(broken);
    MigrationReport resumed = waves.run();
    log("resume run: %s", resumed);

    assertThat(resumed.complete()).isTrue();
    assertThat(resumed.migrated()).isEqualTo(1);
    assertThat(resumed.upToDate()).isEqualTo(TENANTS - 1);
    TenantMigrationStatus done = statuses.statusOf(broken.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(MigrationState.DONE);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.error()).isNull();
    assertThat(fixture.hasRelease2(broken)).isTrue();
    assertThat(statuses.summary()).isEqualTo(new MigrationSummary(0, 0, TENANTS, 0));

    // 3. Nothing left to do: the run reads 200 history tables, starts no Flyway and writes no record.
    int startedBefore = listener.startedTotal();
    MigrationReport noOp = waves.run();
    log("no-op run: %d current tenants checked in %d ms (%.0f tenants/s)", noOp.upToDate(),
        noOp.duration().toMillis(), noOp.targetsPerSecond());

    assertThat(noOp.upToDate()).isEqualTo(TENANTS);
    assertThat(noOp.migrated()).isZero();
    assertThat(listener.startedTotal()).isEqualTo(startedBefore);
    assertThat(noOp.duration()).isLessThan(NO_OP_BOUND);
  }

  /** The parallelism is the bound on connections: Flyway takes up to two per migration, the check one per worker. */
  @Test
  void run_parallelism_boundsTheConnectionsTheRunHolds() throws Exception {
    CountingDataSource counted = new CountingDataSource(postgres.adminDataSource());
    WavesFixture fixture = new WavesFixture(counted, "bounded_", 16);
    int before = counted.peak();
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(new InMemoryMigrationStatusStore()).canaryCount(0).parallelism(3)
        .waveSize(16).listener(listener).build().run();

    log("16 migrations at parallelism 3 held at most %d connections at once (set-up: %d)", counted.peak(), before);
    assertThat(report.migrated()).isEqualTo(16);
    assertThat(counted.peak()).isLessThanOrEqualTo(MigrationWaves.CONNECTIONS_PER_MIGRATION * 3);
    assertThat(counted.open()).as("every connection given back").isZero();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void log(String format, Object... arguments) {
    // The figures the issue asks to report (the no-op check's time) go to the build log through SLF4J.
    LoggerFactory.getLogger(MigrationWavesPostgresIT.class).info(String.format(Locale.ROOT, format, arguments));
  }
}
