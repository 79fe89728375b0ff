package dev.tenancy.jdbc.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.ProvisioningFailedException;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/** What {@link CreateSchemaStep} does on every database it supports; subclasses supply the database. */
abstract class CreateSchemaStepContract {

  static final String TENANT_MIGRATIONS = "classpath:dev/tenancy/jdbc/provisioning/tenant";
  static final String BROKEN_MIGRATIONS = "classpath:dev/tenancy/jdbc/provisioning/broken";

  /** @return an admin DataSource on a database no other test uses */
  abstract DataSource dataSource();

  /** @return a schema prefix no other test uses on this database */
  abstract String prefix();

  private CreateSchemaStep step(String locations) {
    return CreateSchemaStep.builder().dataSource(dataSource()).schemaPrefix(prefix()).locations(locations).build();
  }

  @Test
  void provision_newTenant_createsItsSchemaWithTheMigratedTables() throws Exception {
    CreateSchemaStep step = step(TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme");

    step.provision(tenant);

    assertThat(schemaExists(step.schemaName(tenant.slug()))).isTrue();
    assertThat(single("SELECT body FROM " + table(step, tenant))).isEqualTo("Welcome, acme");
  }

  @Test
  void provision_twice_keepsTheDataAndAppliesNothingAgain() throws Exception {
    CreateSchemaStep step = step(TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme");
    step.provision(tenant);
    execute("INSERT INTO " + table(step, tenant) + " (id, body) VALUES ('" + TenantId.random() + "', 'mine')");

    step.provision(tenant);

    assertThat(single("SELECT COUNT(*) FROM " + table(step, tenant))).isEqualTo("2");
    assertThat(single("SELECT COUNT(*) FROM \"" + step.schemaName(tenant.slug()) + "\".\"flyway_schema_history\""
        + " WHERE \"version\" IS NOT NULL")).as("migrations applied, each once").isEqualTo("2");
  }

  @Test
  void provision_hyphenatedSlug_getsAnUnderscoredQuotedSchemaOfItsOwn() throws Exception {
    CreateSchemaStep step = step(TENANT_MIGRATIONS);
    Tenant realty = tenant("acme-realty");
    Tenant acme = tenant("acme");

    step.provision(realty);
    step.provision(acme);
    execute("INSERT INTO " + table(step, realty) + " (id, body) VALUES ('" + TenantId.random() + "', 'realty')");

    assertThat(step.schemaName(realty.slug())).isEqualTo(prefix() + "acme_realty");
    assertThat(schemaExists(prefix() + "acme_realty")).isTrue();
    assertThat(single("SELECT COUNT(*) FROM " + table(step, acme))).isEqualTo("1");
  }

  @Test
  void deprovision_dropsTheSchemaWithItsTablesAndIsIdempotent() throws Exception {
    CreateSchemaStep step = step(TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme");
    step.provision(tenant);

    step.deprovision(tenant);
    step.deprovision(tenant);

    assertThat(schemaExists(step.schemaName(tenant.slug()))).isFalse();
    step.deprovision(tenant("never-provisioned"));
  }

  @Test
  void provision_failingMigration_throwsSoTenantServiceRollsTheSchemaBack() throws Exception {
    CreateSchemaStep broken = step(BROKEN_MIGRATIONS);
    assertThatThrownBy(() -> broken.provision(tenant("acme"))).isInstanceOf(FlywayException.class);
    broken.deprovision(tenant("acme"));
    TenantService service = TenantService.builder()
        .store(new InMemoryTenantStore())
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
        .step(broken)
        .build();

    assertThatThrownBy(() -> service.create(NewTenant.of("globex", "Globex")))
        .isInstanceOfSatisfying(ProvisioningFailedException.class, e -> assertThat(e.rolledBack()).isTrue());

    assertThat(schemaExists(broken.schemaName(TenantSlug.of("globex")))).isFalse();
    assertThat(service.findBySlug(TenantSlug.of("globex"))).isEmpty();
  }

  // ---------------------------------------------------------------- support

  static Tenant tenant(String slug) {
    Instant now = Instant.now();
    return new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug, TenantStatus.PROVISIONING,
        TenantConfiguration.ofTier("free"), now, now, 0L, null);
  }

  private static String table(CreateSchemaStep step, Tenant tenant) {
    return "\"" + step.schemaName(tenant.slug()) + "\".notes";
  }

  private boolean schemaExists(String schema) throws SQLException {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      query.setString(1, schema);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getInt(1) > 0;
      }
    }
  }

  private String single(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).as(sql).isTrue();
      return result.getString(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
