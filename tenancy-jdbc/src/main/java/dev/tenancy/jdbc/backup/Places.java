package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.DatabasePerTenant;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.Sharded;
import dev.tenancy.jdbc.TenantAwareDataSource;

/** Tells what kind of place a data source gives a tenant, looking through {@link Sharded} to the tenant's shard. */
final class Places {

  private Places() {
  }

  static PlaceKind kindOf(TenantAwareDataSource dataSource, TenantInfo tenant) {
    return kindOf(dataSource.strategy(), tenant);
  }

  private static PlaceKind kindOf(IsolationStrategy strategy, TenantInfo tenant) {
    if (strategy instanceof RowLevelSecurity) {
      return PlaceKind.ROW_LEVEL_SECURITY;
    }
    if (strategy instanceof SchemaPerTenant) {
      return PlaceKind.SCHEMA;
    }
    if (strategy instanceof DatabasePerTenant) {
      return PlaceKind.DATABASE;
    }
    if (strategy instanceof Sharded sharded) {
      return kindOf(sharded.shardOf(tenant).orElseThrow(() -> new IllegalArgumentException("Tenant " + tenant.id()
          + " is on no configured shard of this data source: add it to the shard directory, or pass the data source of"
          + " the shard that holds it (TenantAwareDataSource.of(sharded.shard(name)))")), tenant);
    }
    throw new IllegalArgumentException("Unknown isolation strategy " + strategy.getClass().getName());
  }
}
