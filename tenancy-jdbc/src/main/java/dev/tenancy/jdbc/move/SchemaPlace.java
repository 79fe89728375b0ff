package dev.tenancy.jdbc.move;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A schema of the tenant's own. Made and migrated by the {@link CreateSchemaStep}; put aside by renaming it (which
 * PostgreSQL and H2 both do in place, keeping tables, grants and rows), dropped when the move commits.
 */
final class SchemaPlace extends Place {

  private final CreateSchemaStep step;
  private final DataSource admin;

  SchemaPlace(CreateSchemaStep step, DataSource admin) {
    this.step = step;
    this.admin = admin;
  }

  @Override
  String kind() {
    return "own schema";
  }

  @Override
  void check(String shard, IsolationStrategy strategy) {
    if (!(strategy instanceof SchemaPerTenant schemas)) {
      throw new IllegalArgumentException("Shard '" + shard + "' is configured as Place.ownSchema(...), but its"
          + " strategy is " + strategy.getClass().getSimpleName() + "; an own schema needs SchemaPerTenant");
    }
    TenantInfo probe = TenantInfo.of(TenantId.random(), TenantSlug.of("probe"));
    if (!schemas.schemaOf(probe).equals(step.schemaName(probe.slug()))) {
      throw new IllegalArgumentException("Shard '" + shard + "' names tenant schemas with prefix '"
          + schemas.schemaPrefix() + "', but its CreateSchemaStep uses another prefix (" + step
          + "); give both the same prefix");
    }
  }

  @Override
  Optional<String> existing(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws SQLException {
    String schema = step.schemaName(tenant.slug());
    boolean exists = AdminSql.exists(admin,
        "SELECT 1 FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?", schema);
    return exists ? Optional.of("schema " + schema + " on shard '" + shard.name() + "'") : Optional.empty();
  }

  @Override
  boolean makesPlace() {
    return true;
  }

  @Override
  void prepare(Shard shard, Tenant tenant) throws SQLException {
    step.provision(tenant);
  }

  @Override
  void discard(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws SQLException {
    step.deprovision(tenant);
  }

  @Override
  Retirement retire(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn, long expectedRows)
      throws SQLException {
    String schema = step.schemaName(tenant.slug());
    String aside = AdminSql.retiredName(schema);
    AdminSql.execute(admin, "ALTER SCHEMA " + SqlIdentifiers.quote(schema) + " RENAME TO "
        + SqlIdentifiers.quote(aside));
    return new Retirement() {
      @Override
      public String describe() {
        return "schema " + schema + " renamed to " + aside + " on shard '" + shard.name()
            + "'; it is dropped when the move commits";
      }

      @Override
      public void undo() throws SQLException {
        AdminSql.execute(admin, "ALTER SCHEMA " + SqlIdentifiers.quote(aside) + " RENAME TO "
            + SqlIdentifiers.quote(schema));
      }

      @Override
      public void finish() throws SQLException {
        AdminSql.execute(admin, "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(aside) + " CASCADE");
      }

      @Override
      public String leftover() {
        return "schema " + aside + " (the tenant's old schema " + schema + ") on shard '" + shard.name()
            + "': DROP SCHEMA \"" + aside + "\" CASCADE";
      }
    };
  }
}
