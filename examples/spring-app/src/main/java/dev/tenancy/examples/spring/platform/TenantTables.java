package dev.tenancy.examples.spring.platform;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * Schema per tenant (the H2 profile, {@code tenancy.datasource.strategy=schema}): when an agency is created, creates
 * its schema and, inside its tenant scope, its tables from {@code db/tenant-tables.sql}. On PostgreSQL the profile
 * uses shared tables with row-level security instead, created once by {@code spring.sql.init}, and this bean is not
 * there.
 *
 * <p>A lifecycle listener because the starter hands {@code TenantLifecycleListener} beans to its
 * {@code TenantService}; the only cross-tenant statement is {@code CREATE SCHEMA}, which is why this class lives in
 * the platform package the architecture rules allow {@code TenantContext.asPlatform} in.
 */
@Component
@ConditionalOnProperty(prefix = "tenancy.datasource", name = "strategy", havingValue = "schema")
public class TenantTables implements TenantLifecycleListener {

  private final DataSource dataSource;
  private final ObjectProvider<TenantService> tenants;

  /**
   * @param dataSource the application's (tenant-aware) DataSource
   * @param tenants the tenant service, looked up late: it is built from this listener
   */
  public TenantTables(DataSource dataSource, ObjectProvider<TenantService> tenants) {
    this.dataSource = dataSource;
    this.tenants = tenants;
  }

  @Override
  public void onEvent(TenantEvent event) {
    if (event.type() != TenantEvent.Type.CREATED) {
      return;
    }
    TenantInfo tenant = tenants.getObject().info(event.tenant());
    try {
      String schema = strategy().schemaOf(tenant);
      TenantContext.asPlatform("crm", "create the tables of new tenant " + tenant.id(), () -> {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
          statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
        }
        return null;
      });
      // Unqualified names: inside the tenant's scope the connection's schema is the tenant's.
      TenantContext.run(tenant, () -> new ResourceDatabasePopulator(new ClassPathResource("db/tenant-tables.sql"))
          .execute(dataSource));
    } catch (Exception e) {
      throw new IllegalStateException("Could not create the tables of tenant " + tenant.id(), e);
    }
  }

  private SchemaPerTenant strategy() throws SQLException {
    if (dataSource.unwrap(TenantAwareDataSource.class).strategy() instanceof SchemaPerTenant schemas) {
      return schemas;
    }
    throw new IllegalStateException("tenancy.datasource.strategy=schema but the DataSource is not schema-per-tenant");
  }
}
