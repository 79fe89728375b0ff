package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RowOwnershipCheck} over PostgreSQL row-level security: the application connects as a non-owner role without
 * BYPASSRLS, the check counts through the superuser. Each test builds its own schema, then breaks it the way a bad
 * restore would: rows of no tenant, policies missing or too wide.
 */
class RowOwnershipCheckRlsIT {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static PostgresSupport database;
  private static String app;
  private static HikariDataSource pool;
  private static TenantAwareDataSource application;

  private final String schema = "own_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final Tenant acme = tenant("acme", TenantStatus.ACTIVE);
  private final Tenant globex = tenant("globex", TenantStatus.TRIAL);

  @BeforeAll
  static void startDatabase() {
    database = PostgresSupport.createDatabase();
    app = database.createApplicationRole("ownership_app");
    HikariConfig config = new HikariConfig();
    config.setDataSource(database.dataSourceFor(app));
    config.setMaximumPoolSize(6);
    config.setPoolName("ownership-it");
    pool = new HikariDataSource(config);
    application = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (pool != null) {
      pool.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void createTables() throws SQLException {
    table("leads");
    table("deals");
    seed("leads", acme.id(), 2);
    seed("deals", acme.id(), 1);
    seed("leads", globex.id(), 3);
  }

  private void table(String table) throws SQLException {
    database.execute("CREATE SCHEMA IF NOT EXISTS " + schema, "GRANT USAGE ON SCHEMA " + schema + " TO " + app,
        "CREATE TABLE " + schema + "." + table + " (organization_id uuid NOT NULL,"
            + " id uuid NOT NULL DEFAULT gen_random_uuid(), name text NOT NULL,"
            + " PRIMARY KEY (organization_id, id))");
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().schema(schema).tables(table).applicationRole(app).build().apply(owner);
    }
  }

  private void seed(String table, TenantId tenant, int rows) {
    for (int i = 0; i < rows; i++) {
      database.execute("INSERT INTO " + schema + "." + table + " (organization_id, name) VALUES ('" + tenant
          + "', 'row " + i + "')");
    }
  }

  private static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  private RowOwnershipCheck.Builder check() {
    return RowOwnershipCheck.rowLevelSecurity(application).bypassDataSource(database.adminDataSource())
        .schemas(schema);
  }

  @Test
  void soundTenants_areUp_andThePlatformIsClean() throws Exception {
    RowOwnershipCheck check = check().build();

    CheckResult acmeResult = check.check(acme);
    CheckResult globexResult = check.check(globex);
    CheckResult platform = check.checkPlatform(List.of(acme, globex)).orElseThrow();

    assertThat(acmeResult.status()).isEqualTo(HealthStatus.UP);
    assertThat(acmeResult.facts()).containsEntry("rows", 3L).containsEntry("tables", 2);
    assertThat(globexResult.facts()).containsEntry("rows", 3L);
    assertThat(platform.status()).as(platform.detail()).isEqualTo(HealthStatus.UP);
    assertThat(platform.facts()).containsEntry("orphanRows", 0L).containsEntry("findings", 0)
        .containsEntry("tables", 2);
  }

  @Test
  void rowOfNoKnownTenant_isPlatformDown_namingTheTable_whileTheTenantsStayUp() throws Exception {
    TenantId stranger = TenantId.random();
    seed("deals", stranger, 2);
    RowOwnershipCheck check = check().build();

    CheckResult platform = check.checkPlatform(List.of(acme, globex)).orElseThrow();
    CheckResult acmeResult = check.check(acme);

    assertThat(platform.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(platform.detail()).contains("2 rows").contains(schema + "\".\"deals").contains("does not know");
    assertThat(platform.facts()).containsEntry("orphanRows", 2L).containsEntry("orphanTenants", 1)
        .containsEntry("orphanTenantIds", stranger.toString());
    assertThat(acmeResult.status()).isEqualTo(HealthStatus.UP);
    assertThat(acmeResult.toString()).doesNotContain(stranger.toString());
  }

  /** A restore that lost the SELECT policy: the rows are there, but the tenant cannot read them. */
  @Test
  void missingSelectPolicy_hidesTheTenantsRows_andIsDown() throws Exception {
    database.execute("DROP POLICY tenancy_leads_select ON " + schema + ".leads");
    RowOwnershipCheck check = check().build();

    CheckResult result = check.check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("leads\": only 0 of its 2 rows are readable under its own binding");
    assertThat(check.checkPlatform(List.of(acme, globex)).orElseThrow().status()).isEqualTo(HealthStatus.DOWN);
  }

  /** A policy that lets every row through: each tenant reads the others', and a stranger reads its rows. */
  @Test
  void policyWithoutTenantPredicate_isDown_forTheTenantAndThePlatform_withoutNamingTheOtherTenant() throws Exception {
    database.execute("DROP POLICY tenancy_leads_select ON " + schema + ".leads",
        "CREATE POLICY leak ON " + schema + ".leads FOR SELECT TO " + app + " USING (true)");
    RowOwnershipCheck check = check().build();

    CheckResult result = check.check(acme);
    CheckResult platform = check.checkPlatform(List.of(acme, globex)).orElseThrow();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("also reads 3 rows of other tenants")
        .contains("2 of its rows are readable under another tenant's binding")
        .doesNotContain(globex.id().toString());
    assertThat(platform.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(platform.detail()).contains("POLICY_NOT_TENANT_SCOPED").contains("bound to no tenant reads rows");
    assertThat(platform.facts()).containsEntry("tablesReadableWithoutTenant", 1);
  }

  @Test
  void purgedTenant_withRowsBroughtBack_isDegraded_andWithoutRows_isUp() throws Exception {
    RowOwnershipCheck check = check().build();
    Tenant purgedWithRows = new Tenant(acme.id(), acme.slug(), "acme", TenantStatus.DELETED,
        acme.configuration(), T0, T0, 3, null);

    CheckResult back = check.check(purgedWithRows);
    CheckResult gone = check.check(tenant("gone", TenantStatus.DELETED));

    assertThat(back.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(back.detail()).contains("3 of its rows are back").contains("purge them again");
    assertThat(gone.status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void sideChannelFinding_isDegraded_unlessAccepted() throws Exception {
    database.execute("CREATE TABLE " + schema + ".tickets (organization_id uuid NOT NULL, id bigserial,"
        + " PRIMARY KEY (organization_id, id))");
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().schema(schema).tables("tickets").applicationRole(app).build().apply(owner);
    }

    CheckResult flagged = check().build().checkPlatform(List.of(acme, globex)).orElseThrow();
    CheckResult accepted = check().acceptFindings(FindingType.SEQUENCE_KEY).build()
        .checkPlatform(List.of(acme, globex)).orElseThrow();

    assertThat(flagged.status()).as(flagged.detail()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(flagged.detail()).contains("SEQUENCE_KEY");
    assertThat(accepted.status()).as(accepted.detail()).isEqualTo(HealthStatus.UP);
    assertThat(accepted.facts()).containsEntry("acceptedFindings", 1);
  }

  @Test
  void noTenantTableInTheSchemas_isDown() throws Exception {
    CheckResult result = RowOwnershipCheck.rowLevelSecurity(application)
        .bypassDataSource(database.adminDataSource()).schemas("no_such_schema").build().check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("no table has the tenant column organization_id");
  }

  @Test
  void builder_needsTheBypassDataSource_andRefusesSchemaOptions() {
    assertThatThrownBy(() -> RowOwnershipCheck.rowLevelSecurity(application).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BYPASSRLS");
    assertThatThrownBy(() -> RowOwnershipCheck.rowLevelSecurity(application).expectedVersion("3"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("schema-per-tenant");
    assertThatThrownBy(() -> RowOwnershipCheck.schemaPerTenant(application))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
