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
import dev.tenancy.core.health.PlatformVerification;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RowOwnershipCheck} over schema per tenant on H2, the embedded default. */
class RowOwnershipCheckSchemaH2Test {

  private static final String MIGRATIONS = "classpath:dev/tenancy/jdbc/provisioning/tenant";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final String url = "jdbc:h2:mem:ownership_" + UUID.randomUUID().toString().replace("-", "")
      + ";DB_CLOSE_DELAY=-1";
  private final HikariDataSource pool = pool();
  private final TenantAwareDataSource application =
      TenantAwareDataSource.of(SchemaPerTenant.builder(pool).platformSchema("PUBLIC").build());
  private final CreateSchemaStep schemas = CreateSchemaStep.builder().dataSource(pool).locations(MIGRATIONS).build();

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  @AfterEach
  void shutDown() throws Exception {
    execute("SHUTDOWN");
    pool.close();
  }

  private void execute(String sql) throws Exception {
    try (Connection connection = java.sql.DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  private Tenant provisioned(String slug, TenantStatus status) throws Exception {
    Tenant tenant = tenant(slug, status);
    schemas.provision(tenant);
    return tenant;
  }

  @Test
  void tenantWhoseSchemaExists_isUp_andAtTheExpectedVersion() throws Exception {
    Tenant acme = provisioned("acme", TenantStatus.ACTIVE);

    CheckResult plain = RowOwnershipCheck.schemaPerTenant(application).build().check(acme);
    CheckResult versioned = RowOwnershipCheck.schemaPerTenant(application).expectedVersion("2").build().check(acme);

    assertThat(plain.status()).isEqualTo(HealthStatus.UP);
    assertThat(plain.facts()).containsEntry("schema", "tenant_acme").containsEntry("tables", 2L);
    assertThat(versioned.status()).isEqualTo(HealthStatus.UP);
    assertThat(versioned.facts()).containsEntry("version", "2");
  }

  @Test
  void schemaBehindOrAheadOfTheExpectedVersion_isDegraded() throws Exception {
    Tenant acme = provisioned("acme", TenantStatus.ACTIVE);

    CheckResult behind = RowOwnershipCheck.schemaPerTenant(application).expectedVersion("3").build().check(acme);
    CheckResult ahead = RowOwnershipCheck.schemaPerTenant(application).expectedVersion("1.5").build().check(acme);

    assertThat(behind.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(behind.detail()).contains("behind the expected 3").contains("run the tenant migrations");
    assertThat(ahead.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(ahead.detail()).contains("ahead of the expected 1.5");
  }

  @Test
  void liveTenantWithoutItsSchema_isDown_butAProvisioningOneIsUp() throws Exception {
    RowOwnershipCheck check = RowOwnershipCheck.schemaPerTenant(application).build();

    CheckResult missing = check.check(tenant("lost", TenantStatus.ACTIVE));

    assertThat(missing.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(missing.detail()).contains("tenant_lost does not exist");
    assertThat(check.check(tenant("fresh", TenantStatus.PROVISIONING)).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void purgedTenant_withoutItsSchema_isUp_butWithItBroughtBack_isDegraded() throws Exception {
    RowOwnershipCheck check = RowOwnershipCheck.schemaPerTenant(application).build();

    assertThat(check.check(tenant("gone", TenantStatus.DELETED)).status()).isEqualTo(HealthStatus.UP);

    Tenant back = provisioned("back", TenantStatus.DELETED);
    CheckResult restored = check.check(back);
    assertThat(restored.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(restored.detail()).contains("purged").contains("tenant_back exists again");
  }

  @Test
  void platformForm_schemaOfNoKnownTenant_isDown_andNamesIt() throws Exception {
    Tenant acme = provisioned("acme", TenantStatus.ACTIVE);
    provisioned("stray", TenantStatus.ACTIVE);
    RowOwnershipCheck check = RowOwnershipCheck.schemaPerTenant(application).verifier(IsolationVerifier.forH2())
        .build();

    CheckResult result = check.checkPlatform(List.of(acme)).orElseThrow();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("tenant_stray");
    assertThat(result.facts()).containsEntry("orphanSchemas", 1).containsEntry("schemas", 2L);
  }

  @Test
  void throughTheRunner_everyTenantAndThePlatformAreReported() throws Exception {
    InMemoryTenantStore store = new InMemoryTenantStore();
    Tenant acme = store.insert(provisioned("acme", TenantStatus.ACTIVE));
    Tenant lost = store.insert(tenant("lost", TenantStatus.ACTIVE));
    TenantHealthChecks checks = TenantHealthChecks.builder().tenants(store)
        .check(RowOwnershipCheck.schemaPerTenant(application).expectedVersion("2").build()).build();

    PlatformVerification report = checks.verifyPlatform();

    assertThat(report.platform().status()).isEqualTo(HealthStatus.UP);
    assertThat(report.tenants()).extracting(h -> h.tenant()).containsExactly(lost.id(), acme.id());
    assertThat(report.tenant(lost.id()).orElseThrow().status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.tenant(acme.id()).orElseThrow().status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void builder_refusesOptionsOfTheOtherStrategy_andTheWrongDataSource() {
    assertThatThrownBy(() -> RowOwnershipCheck.schemaPerTenant(application).bypassDataSource(pool))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("row-level security");
    assertThatThrownBy(() -> RowOwnershipCheck.rowLevelSecurity(application))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SchemaPerTenant");
    assertThatThrownBy(() -> RowOwnershipCheck.schemaPerTenant(application).historyTable("x; drop"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
