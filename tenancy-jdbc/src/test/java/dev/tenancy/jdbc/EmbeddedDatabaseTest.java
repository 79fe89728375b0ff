package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-configuration default, end to end: store, provisioning and isolation on embedded H2. */
class EmbeddedDatabaseTest {

  private static final String TENANT_MIGRATIONS = "classpath:dev/tenancy/jdbc/provisioning/tenant";

  private static TenantService tenants(EmbeddedDatabase database, JdbcTenantStore store) {
    return TenantService.builder().store(store)
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
        .step(database.schemaStep(TENANT_MIGRATIONS))
        .build();
  }

  private static String welcomeNote(TenantService tenants, Tenant tenant, TenantAwareDataSource dataSource)
      throws SQLException {
    try (TenantScope scope = TenantContext.enter(tenants.info(tenant));
        Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT body FROM notes")) {
      assertThat(rows.next()).isTrue();
      String body = rows.getString(1);
      assertThat(rows.next()).as("one note per tenant").isFalse();
      return body;
    }
  }

  @Test
  void inMemory_provisionsASchemaPerTenant_andKeepsThemApart() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.inMemory();
        JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database.platformDataSource()).build()) {
      TenantService tenants = tenants(database, store);
      Tenant acme = tenants.create(NewTenant.of("acme-realty", "Acme Realty"));
      Tenant globex = tenants.create(NewTenant.of("globex", "Globex"));

      assertThat(welcomeNote(tenants, acme, database.dataSource())).isEqualTo("Welcome, acme-realty");
      assertThat(welcomeNote(tenants, globex, database.dataSource())).isEqualTo("Welcome, globex");
      assertThatThrownBy(() -> database.dataSource().getConnection()).hasCauseInstanceOf(NoTenantException.class);
    }
  }

  @Test
  void inDirectory_keepsTenantsAndTheirDataAcrossRestarts(@TempDir Path directory) throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.inDirectory(directory);
        JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database.platformDataSource()).build()) {
      tenants(database, store).create(NewTenant.of("acme", "Acme"));
    }
    try (EmbeddedDatabase database = EmbeddedDatabase.inDirectory(directory);
        JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database.platformDataSource()).build()) {
      TenantService tenants = tenants(database, store);
      Tenant acme = tenants.findBySlug(TenantSlug.of("acme")).orElseThrow();
      assertThat(acme.status().isServing()).isTrue();
      assertThat(welcomeNote(tenants, acme, database.dataSource())).isEqualTo("Welcome, acme");
    }
  }
}
