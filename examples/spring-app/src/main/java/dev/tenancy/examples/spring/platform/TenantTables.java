package dev.tenancy.examples.spring.platform;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.examples.spring.LeadStore;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * An agency's CRM tables, as a provisioning step: on H2 (schema per tenant) a new agency gets its schema and, inside
 * its tenant scope, its tables from {@code db/tenant-tables.sql}; a purged agency's data is erased (its schema dropped
 * on H2; on PostgreSQL its rows deleted from the shared tables, inside its scope so row-level security limits the
 * delete to them). On PostgreSQL the shared tables themselves come from {@code spring.sql.init}.
 *
 * <p>A {@link ProvisioningStep} bean because the starter hands those to its {@code TenantService}: an agency serves
 * only once its tables exist, and if they cannot be created the agency is not created either (no half-provisioned
 * tenant). The only cross-tenant statements are {@code CREATE SCHEMA} and {@code DROP SCHEMA}, which is why this class
 * lives in the platform package the architecture rules allow {@code TenantContext.asPlatform} in.
 */
@Component
public class TenantTables implements ProvisioningStep {

  private final DataSource dataSource;
  private final LeadStore leads;

  /**
   * @param dataSource the application's (tenant-aware) DataSource
   * @param leads the store, to erase an agency's rows on PostgreSQL
   */
  public TenantTables(DataSource dataSource, LeadStore leads) {
    this.dataSource = dataSource;
    this.leads = leads;
  }

  @Override
  public String name() {
    return "crm-tables";
  }

  /** Runs inside the new agency's tenant scope, as every step does. */
  @Override
  public void provision(Tenant tenant) throws Exception {
    if (strategy() instanceof SchemaPerTenant schemas) {
      TenantInfo scope = TenantContext.require();
      platform("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schemas.schemaOf(scope)),
          "create the tables of new tenant " + tenant.id());
      // Unqualified names: inside the tenant's scope the connection's schema is the tenant's.
      new ResourceDatabasePopulator(new ClassPathResource("db/tenant-tables.sql")).execute(dataSource);
    }
  }

  /** Runs inside the agency's tenant scope: when it is purged, and to undo a provisioning that failed later on. */
  @Override
  public void deprovision(Tenant tenant) throws Exception {
    if (strategy() instanceof SchemaPerTenant schemas) {
      platform("DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schemas.schemaOf(TenantContext.require())) + " CASCADE",
          "erase the data of tenant " + tenant.id());
    } else {
      leads.deleteAll();
    }
  }

  private IsolationStrategy strategy() throws SQLException {
    return dataSource.unwrap(TenantAwareDataSource.class).strategy();
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
