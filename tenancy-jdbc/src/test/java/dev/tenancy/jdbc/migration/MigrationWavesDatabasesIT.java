package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.provisioning.CreateDatabaseStep;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waves over database-per-tenant tenants on the real PostgreSQL: each tenant's own database migrated through the URL
 * template, failures recorded without the credentials the URL carries, and a no-op run that reads each database's
 * history without Flyway.
 */
class MigrationWavesDatabasesIT {

  /** Ignored by the trust authentication of the test server, but it is in every URL Flyway sees and may print. */
  private static final String SECRET = "pa55-in-the-url";

  private PostgresSupport postgres;
  private CreateDatabaseStep step;
  private String template;
  private String prefix;
  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final List<Tenant> tenants = new ArrayList<>();

  @BeforeEach
  void createTenantDatabases() throws Exception {
    postgres = PostgresSupport.createDatabase();
    prefix = "wv" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    String url = PostgresSupport.URL;
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    template = url.substring(0, slash + 1) + "{database}" + (query < 0 ? "?" : url.substring(query) + "&")
        + "password=" + SECRET;
    step = CreateDatabaseStep.builder().adminDataSource(postgres.adminDataSource())
        .urlTemplate(template.replace("{database}", CreateDatabaseStep.DATABASE_PLACEHOLDER))
        .credentials(PostgresSupport.ADMIN_USER, null).databasePrefix(prefix).locations(WavesFixture.V1).build();
    for (String slug : List.of("acme", "globex", "initech")) {
      Tenant tenant = WavesFixture.tenant(slug, TenantStatus.ACTIVE);
      store.insert(tenant);
      tenants.add(tenant);
      step.provision(tenant);
    }
  }

  @AfterEach
  void dropTenantDatabases() throws Exception {
    for (Tenant tenant : tenants) {
      step.deprovision(tenant);
    }
    postgres.close();
  }

  @Test
  void run_databasePerTenant_migratesEachDatabaseRecordsFailuresWithoutCredentialsAndResumes() throws Exception {
    Tenant globex = tenants.get(1);
    execute(globex, "CREATE TABLE attachments (clash INTEGER)");
    Tenant unprovisioned = WavesFixture.tenant("hooli", TenantStatus.ACTIVE);
    store.insert(unprovisioned);
    JdbcMigrationStatusStore statuses = JdbcMigrationStatusStore.builder().dataSource(postgres.adminDataSource())
        .build();
    MigrationWaves waves = MigrationWaves.builder().tenants(store).databases(template)
        .credentials(PostgresSupport.ADMIN_USER, SECRET).prefix(prefix).locations(WavesFixture.V1, WavesFixture.V2)
        .statusStore(statuses).canaryCount(1).parallelism(2).build();

    MigrationReport first = waves.run();

    assertThat(first.migrated()).isEqualTo(2);
    assertThat(first.failed()).isEqualTo(2);
    TenantMigrationStatus clash = statuses.statusOf(globex.id()).orElseThrow();
    assertThat(clash.state()).isEqualTo(MigrationState.FAILED);
    assertThat(clash.location()).isEqualTo(prefix + "globex");
    assertThat(clash.error()).contains("relation \"attachments\" already exists");
    TenantMigrationStatus missing = statuses.statusOf(unprovisioned.id()).orElseThrow();
    assertThat(missing.error()).contains(prefix + "hooli").contains("does not exist");
    for (TenantMigrationStatus status : statuses.statuses()) {
      assertThat(String.valueOf(status.error())).doesNotContain(SECRET);
    }

    execute(globex, "DROP TABLE attachments");
    store.remove(unprovisioned.id());
    MigrationReport resumed = waves.run();
    MigrationReport noOp = waves.run();

    assertThat(resumed.migrated()).isEqualTo(1);
    assertThat(resumed.complete()).isTrue();
    assertThat(noOp.upToDate()).isEqualTo(3);
    assertThat(noOp.migrated()).isZero();
    assertThat(statuses.statusOf(globex.id()).orElseThrow().attempts()).isEqualTo(2);
  }

  private void execute(Tenant tenant, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(step.url(tenant.slug()), PostgresSupport.ADMIN_USER,
        null); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
