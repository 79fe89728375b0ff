package dev.tenancy.examples.spring.platform;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.examples.spring.LeadStore;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * An agency's CRM data over its life: when the agency is created on H2 (schema per tenant), creates its schema and,
 * inside its tenant scope, its tables from {@code db/tenant-tables.sql}; when it is purged, erases its data (drops the
 * schema on H2; on PostgreSQL deletes its rows from the shared tables, inside its scope so row-level security limits
 * the delete to them). On PostgreSQL the shared tables themselves come from {@code spring.sql.init}.
 *
 * <p>A lifecycle listener because the starter hands {@code TenantLifecycleListener} beans to its
 * {@code TenantService}; the only cross-tenant statements are {@code CREATE SCHEMA} and {@code DROP SCHEMA}, which is
 * why this class lives in the platform package the architecture rules allow {@code TenantContext.asPlatform} in.
 */
@Component
public class TenantTables implements TenantLifecycleListener {

  private final DataSource dataSource;
  private final LeadStore leads;
  private final ObjectProvider<TenantService> tenants;

  /**
   * @param dataSource the application's (tenant-aware) DataSource
   * @param leads the store, to erase an agency's rows on PostgreSQL
   * @param tenants the tenant service, looked up late: it is built with this listener
   */
  public TenantTables(DataSource dataSource, LeadStore leads, ObjectProvider<TenantService> tenants) {
    this.dataSource = dataSource;
    this.leads = leads;
    this.tenants = tenants;
  }

  @Override
  public void onEvent(TenantEvent event) {
    if (event.type() != TenantEvent.Type.CREATED && event.type() != TenantEvent.Type.PURGED) {
      return;
    }
    TenantInfo tenant = tenants.getObject().info(event.tenant());
    try {
      IsolationStrategy strategy = dataSource.unwrap(TenantAwareDataSource.class).strategy();
      if (event.type() == TenantEvent.Type.CREATED) {
        if (strategy instanceof SchemaPerTenant schemas) {
          createTables(tenant, schemas.schemaOf(tenant));
        }
      } else if (strategy instanceof SchemaPerTenant schemas) {
        platform("DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schemas.schemaOf(tenant)) + " CASCADE",
            "erase the data of purged tenant " + tenant.id());
      } else {
        TenantContext.run(tenant, leads::deleteAll);
      }
    } catch (Exception e) {
      // The service logs a listener's failure and keeps the change: an agency without tables answers 500s (fails
      // closed); a purged agency whose rows remain can be erased again by an operator.
      throw new IllegalStateException("Could not " + (event.type() == TenantEvent.Type.CREATED ? "create" : "erase")
          + " the CRM data of tenant " + tenant.id(), e);
    }
  }

  private void createTables(TenantInfo tenant, String schema) throws Exception {
    platform("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema), "create the tables of new tenant "
        + tenant.id());
    // Unqualified names: inside the tenant's scope the connection's schema is the tenant's.
    TenantContext.run(tenant, () -> new ResourceDatabasePopulator(new ClassPathResource("db/tenant-tables.sql"))
        .execute(dataSource));
  }

  private void platform(String sql, String reason) throws Exception {
    TenantContext.asPlatform("crm", reason, () -> {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
      return null;
    });
  }
}
