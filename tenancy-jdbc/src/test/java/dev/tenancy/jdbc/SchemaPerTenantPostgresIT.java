package dev.tenancy.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Schema per tenant on the real PostgreSQL, through a non-owner role granted only its tenants' schemas. */
class SchemaPerTenantPostgresIT extends IsolationContract {

  private static PostgresSupport database;
  private static String appRole;
  private final List<HikariDataSource> pools = new ArrayList<>();

  @BeforeAll
  static void createDatabase() {
    database = PostgresSupport.createDatabase();
    appRole = database.createApplicationRole("tenancy_schema_app");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      database.close();
    }
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  @Override
  protected TenantAwareDataSource dataSource(int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.url());
    config.setUsername(appRole);
    config.setMaximumPoolSize(poolSize);
    config.setAutoCommit(false);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return TenantAwareDataSource.of(SchemaPerTenant.builder(pool).build());
  }

  /** The schema binding is a SET too: a rollback must not revert it to the previous tenant's schema. */
  @Test
  void rollbackAfterSwitch_keepsTheNewTenantsSchema() throws Exception {
    TenantInfo a = newTenant("rollback-a");
    TenantInfo b = newTenant("rollback-b");
    try (TenantAwareDataSource dataSource = dataSource(1)) {
      inScope(a, dataSource, connection -> insert(connection, "a-row"));
      try (TenantScope scope = TenantContext.enter(b); Connection connection = dataSource.getConnection()) {
        connection.rollback();
        assertThat(names(connection)).isEmpty();
        assertThat(connection.getSchema()).isEqualTo(SqlIdentifiers.tenantSchema("tenant_", b.slug()));
      }
    }
  }

  @Override
  protected void prepareTenant(TenantInfo tenant) {
    String schema = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema("tenant_", tenant.slug()));
    database.execute("CREATE SCHEMA " + schema,
        "CREATE TABLE " + schema + ".leads (id uuid PRIMARY KEY, name text NOT NULL)",
        "GRANT USAGE ON SCHEMA " + schema + " TO " + appRole,
        "GRANT SELECT, INSERT ON " + schema + ".leads TO " + appRole);
  }
}
