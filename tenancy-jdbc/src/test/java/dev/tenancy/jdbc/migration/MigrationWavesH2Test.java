package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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

  @Test
  void run_namedCanaryFails_stopsBeforeAnyOtherTenantAndLeavesThemPending() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 5);
    Tenant canary = fixture.tenant(4);
    fixture.breakRelease2(canary);
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(statuses).canaries("tenant-004").listener(listener).build().run();

    assertThat(report.stoppedBecause()).contains("canary").contains(fixture.schema(canary));
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.pending()).isEqualTo(4);
    assertThat(listener.started).containsOnlyKeys(fixture.schema(canary));
    assertThat(statuses.statusOf(canary.id()).orElseThrow().state()).isEqualTo(MigrationState.FAILED);
    for (Tenant tenant : fixture.tenants) {
      if (tenant != canary) {
        assertThat(statuses.statusOf(tenant.id()).orElseThrow().state()).isEqualTo(MigrationState.PENDING);
        assertThat(fixture.hasRelease2(tenant)).isFalse();
      }
    }
    assertThat(statuses.summary().pending()).isEqualTo(4);
  }

  @Test
  void run_firstCanaryOfACountFails_stopsAndTheNextRunStartsWithIt() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 4);
    fixture.breakRelease2(fixture.tenant(1));

    MigrationReport first = fixture.waves(statuses).canaryCount(2).build().run();
    fixture.repair(fixture.tenant(1));
    MigrationReport second = fixture.waves(statuses).canaryCount(2).repairOnRetry(true).build().run();

    assertThat(first.stoppedBecause()).contains("canary");
    assertThat(first.migrated()).isZero();
    assertThat(first.pending()).isEqualTo(3);
    assertThat(second.complete()).isTrue();
    assertThat(second.migrated()).isEqualTo(4);
  }

  @Test
  void run_moreFailuresThanAllowed_stopsAfterTheWave() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 7);
    fixture.breakRelease2(fixture.tenant(2));
    fixture.breakRelease2(fixture.tenant(3));

    MigrationReport report = fixture.waves(statuses).canaryCount(1).waveSize(2).maxFailures(1).build().run();

    // canary 1 done; wave 1 = tenants 2 and 3, both fail; waves of 4-5 and 6-7 never start
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.pending()).isEqualTo(4);
    assertThat(report.stoppedBecause()).contains("maxFailures");
    assertThat(statuses.statusOf(fixture.tenant(7).id()).orElseThrow().state()).isEqualTo(MigrationState.PENDING);
  }

  @Test
  void run_statusSaysDoneButTheHistoryIsBehind_migratesAnyway() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    Tenant tenant = fixture.tenant(1);
    Instant now = Instant.now();
    statuses.insert(new TenantMigrationStatus(tenant.id().toString(), tenant.id(), fixture.schema(tenant),
        MigrationState.DONE, "1", "2", null, 1, "old-run", now, now, null, now, 0));

    MigrationReport report = fixture.waves(statuses).build().run();

    assertThat(report.migrated()).isEqualTo(2);
    assertThat(fixture.hasRelease2(tenant)).isTrue();
  }

  @Test
  void run_tenantProvisionedCurrentWithoutARecord_isRecordedDoneWithoutFlyway() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 3);
    fixture.waves(new InMemoryMigrationStatusStore()).build().run();   // current, but recorded elsewhere
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(statuses).listener(listener).build().run();

    assertThat(report.upToDate()).isEqualTo(3);
    assertThat(listener.startedTotal()).isZero();
    assertThat(statuses.statuses()).hasSize(3).allSatisfy(status -> {
      assertThat(status.state()).isEqualTo(MigrationState.DONE);
      assertThat(status.versionAfter()).isEqualTo("2");
    });
  }

  @Test
  void run_appliedMigrationEditedLater_isNotTakenForCurrentAndFlywayReportsTheMismatch() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    fixture.waves(statuses).build().run();

    MigrationReport report = fixture.waves(statuses).locations("classpath:dev/tenancy/jdbc/migration/v1-edited",
        WavesFixture.V2).canaryCount(0).build().run();

    assertThat(report.upToDate()).isZero();
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.failures().get(0).error()).containsIgnoringCase("checksum mismatch");
  }

  @Test
  void run_repeatableMigration_isCurrentOnceAppliedAndReappliedWhenItChanges() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 3);
    String repeatable = "classpath:dev/tenancy/jdbc/migration/repeatable";
    String changed = "classpath:dev/tenancy/jdbc/migration/repeatable-changed";
    fixture.waves(statuses).locations(WavesFixture.V1, repeatable).build().run();
    RecordingListener listener = new RecordingListener();

    MigrationReport unchanged = fixture.waves(statuses).locations(WavesFixture.V1, repeatable).listener(listener)
        .build().run();
    MigrationReport reapplied = fixture.waves(statuses).locations(WavesFixture.V1, changed).build().run();

    assertThat(unchanged.upToDate()).isEqualTo(3);
    assertThat(listener.startedTotal()).isZero();
    assertThat(reapplied.migrated()).isEqualTo(3);
    assertThat(fixture.single("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '"
        + fixture.schema(fixture.tenant(2)) + "' AND LOWER(table_name) = 'note_bodies'")).isEqualTo("2");
  }

  @Test
  void run_deletedAndProvisioningTenants_areLeftAlone() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 1);
    fixture.store.insert(WavesFixture.tenant("gone", TenantStatus.DELETED));
    fixture.store.insert(WavesFixture.tenant("arriving", TenantStatus.PROVISIONING));

    MigrationReport report = fixture.waves(statuses).build().run();

    assertThat(report.targets()).isEqualTo(1);
    assertThat(statuses.statuses()).hasSize(1);
  }

  @Test
  void run_sharedSchema_isMigratedOnceBeforeTheTenantsAndRecordedOnce() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    RecordingListener listener = new RecordingListener();
    MigrationWaves waves = fixture.waves(statuses)
        .sharedSchema(database, "app_shared", "classpath:dev/tenancy/jdbc/migration/shared")
        .listener(listener)
        .build();

    MigrationReport first = waves.run();
    MigrationReport second = waves.run();

    assertThat(first.targets()).isEqualTo(3);
    assertThat(first.migrated()).isEqualTo(3);
    assertThat(second.upToDate()).isEqualTo(3);
    assertThat(second.migrated()).isZero();
    assertThat(listener.started.get("app_shared")).as("Flyway looks at the shared schema once per run").hasValue(2);
    TenantMigrationStatus shared = statuses.find("shared:app_shared").orElseThrow();
    assertThat(shared.shared()).isTrue();
    assertThat(shared.state()).isEqualTo(MigrationState.DONE);
    assertThat(shared.versionAfter()).isEqualTo("1");
    assertThat(statuses.statuses()).hasSize(3);
    assertThat(fixture.single("SELECT COUNT(*) FROM \"app_shared\".\"flyway_schema_history\" WHERE \"version\" = '1'"))
        .isEqualTo("1");
  }

  @Test
  void run_sharedSchemaFails_stopsBeforeAnyTenant() throws Exception {
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    RecordingListener listener = new RecordingListener();

    MigrationReport report = fixture.waves(statuses)
        .sharedSchema(database, "app_shared", "classpath:dev/tenancy/jdbc/migration/shared-broken")
        .listener(listener)
        .build()
        .run();

    assertThat(report.stoppedBecause()).contains("shared schema app_shared");
    assertThat(report.pending()).isEqualTo(2);
    assertThat(listener.started).containsOnlyKeys("app_shared");
    assertThat(statuses.find("shared:app_shared").orElseThrow().error()).contains("NO_SUCH_TYPE");
  }
}
