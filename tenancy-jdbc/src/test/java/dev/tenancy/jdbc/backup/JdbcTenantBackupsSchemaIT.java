package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.TenantAwareDataSource;

/** Backup and restore of tenants with a schema of their own, as a non-owner role. */
class JdbcTenantBackupsSchemaIT extends TenantBackupsPostgresContract {

  @Override
  TenantAwareDataSource place() {
    return shop.schemas;
  }

  @Override
  void prepare(TenantInfo tenant) {
    shop.createSchema(tenant);
  }
}
