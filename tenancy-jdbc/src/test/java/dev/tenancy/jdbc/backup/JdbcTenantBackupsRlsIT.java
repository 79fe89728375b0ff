package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.TenantAwareDataSource;

/** Backup and restore of tenants in shared tables under row-level security, as a non-owner role. */
class JdbcTenantBackupsRlsIT extends TenantBackupsPostgresContract {

  @Override
  TenantAwareDataSource place() {
    return shop.rls;
  }

  @Override
  void prepare(TenantInfo tenant) {
    // shared tables: nothing per tenant
  }
}
