package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Schema per tenant on embedded H2: the zero-configuration default. */
class SchemaPerTenantH2Test extends IsolationContract {

  private final String url = "jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final List<HikariDataSource> pools = new ArrayList<>();

  @AfterEach
  void closePools() throws Exception {
    try (Connection connection = java.sql.DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
    pools.forEach(HikariDataSource::close);
  }

  @Override
  protected TenantAwareDataSource dataSource(int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(poolSize);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return TenantAwareDataSource.of(SchemaPerTenant.builder(pool).platformSchema("PUBLIC").build());
  }

  @Override
  protected void prepareTenant(TenantInfo tenant) throws Exception {
    String schema = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema("tenant_", tenant.slug()));
    try (Connection connection = java.sql.DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      statement.execute("CREATE TABLE " + schema + ".leads (id UUID PRIMARY KEY, name VARCHAR(100))");
    }
  }

  @Test
  void sameTenantReCheckout_isFree_andPlatformGoesToThePlatformSchema() throws Exception {
    TenantInfo tenant = newTenant("gamma");
    try (TenantAwareDataSource dataSource = dataSource(1)) {
      for (int i = 0; i < 3; i++) {
        inScope(tenant, dataSource, connection ->
            assertThat(connection.getSchema()).isEqualTo(SqlIdentifiers.tenantSchema("tenant_", tenant.slug())));
      }
      assertThat(dataSource.statistics()).isEqualTo(new BindingStatistics(3, 1, 2));
      String platformSchema = TenantContext.asPlatform("ops", "check", () -> {
        try (Connection connection = dataSource.getConnection()) {
          return connection.getSchema();
        }
      });
      assertThat(platformSchema).isEqualTo("PUBLIC");
    }
  }
}
