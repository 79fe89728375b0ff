package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state machine of {@link MigrationWaves} on H2 schemas: waves, failures, canaries, no-op runs and resume. */
class MigrationWavesH2Test {

  private final JdbcDataSource database = new JdbcDataSource();
  private final InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();

  MigrationWavesH2Test() {
    database.setURL("jdbc:h2:mem:waves_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  @Test
  void run_freshTenants_migratesEveryTenantInWavesAndRecordsDone() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 7);
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(statuses).waveSize(3).parallelism(2).listener(listener).build().run();

    assertThat(report.migrated()).isEqualTo(7);
    assertThat(report.complete()).isTrue();
    assertThat(listener.waves).containsExactly(1, 2);   // 1 canary, then 6 in waves of 3
    for (Tenant tenant : fixture.tenants) {
      assertThat(fixture.hasRelease2(tenant)).isTrue();
      TenantMigrationStatus status = statuses.statusOf(tenant.id()).orElseThrow();
      assertThat(status.state()).isEqualTo(MigrationState.DONE);
      assertThat(status.versionBefore()).isEqualTo("1");
      assertThat(status.versionAfter()).isEqualTo("2");
      assertThat(status.attempts()).isEqualTo(1);
      assertThat(status.error()).isNull();
      assertThat(status.location()).isEqualTo(fixture.schema(tenant));
    }
  }

  @Test
  void run_again_isANoOpThatStartsNoFlywayAndWritesNothing() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 5);
    fixture.waves(statuses).build().run();
    var before = statuses.statuses();
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(statuses).listener(listener).build().run();

    assertThat(report.upToDate()).isEqualTo(5);
    assertThat(report.migrated()).isZero();
    assertThat(listener.startedTotal()).as("Flyway started for no tenant").isZero();
    assertThat(statuses.statuses()).as("no record rewritten").isEqualTo(before);
  }

  @Test
  void run_oneTenantFails_recordsItsErrorAndMigratesAllOthers() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 6);
    Tenant broken = fixture.tenant(4);
    fixture.breakRelease2(broken);

    MigrationReport report = fixture.waves(statuses).waveSize(2).build().run();

    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.migrated()).isEqualTo(5);
    assertThat(report.stoppedBecause()).isNull();
    TenantMigrationStatus failed = statuses.statusOf(broken.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(MigrationState.FAILED);
    assertThat(failed.error()).containsIgnoringCase("attachments");
    assertThat(failed.versionAfter()).isEqualTo("1");
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(report.failures()).containsExactly(failed);
    for (Tenant tenant : fixture.tenants) {
      if (tenant != broken) {
        assertThat(statuses.statusOf(tenant.id()).orElseThrow().state()).isEqualTo(MigrationState.DONE);
        assertThat(fixture.hasRelease2(tenant)).isTrue();
      }
    }
  }

  @Test
  void run_afterTheFailureIsRepaired_resumesOnlyThatTenant() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 4);
    Tenant broken = fixture.tenant(3);
    fixture.breakRelease2(broken);
    fixture.waves(statuses).build().run();
    fixture.repair(broken);
    RecordingListener listener = new RecordingListener();

    // H2's DDL is not transactional: the failed migration left a failed row that the retry must remove first.
    MigrationReport report = fixture.waves(statuses).repairOnRetry(true).listener(listener).build().run();

    assertThat(report.complete()).isTrue();
    assertThat(report.migrated()).isEqualTo(1);
    assertThat(report.upToDate()).isEqualTo(3);
    assertThat(listener.started).containsOnlyKeys(fixture.schema(broken));
    TenantMigrationStatus resumed = statuses.statusOf(broken.id()).orElseThrow();
    assertThat(resumed.state()).isEqualTo(MigrationState.DONE);
    assertThat(resumed.attempts()).isEqualTo(2);
    assertThat(resumed.error()).isNull();
    assertThat(fixture.hasRelease2(broken)).isTrue();
  }

  @Test
  void run_retryWithoutRepairOnH2_failsAgainAskingForARepair() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    Tenant broken = fixture.tenant(2);
    fixture.breakRelease2(broken);
    fixture.waves(statuses).build().run();
    fixture.repair(broken);

    MigrationReport report = fixture.waves(statuses).build().run();

    assertThat(report.failed()).isEqualTo(1);
    TenantMigrationStatus status = statuses.statusOf(broken.id()).orElseThrow();
    assertThat(status.attempts()).isEqualTo(2);
    assertThat(status.error()).contains("failed migration to version 2").contains("repair");
  }
}
