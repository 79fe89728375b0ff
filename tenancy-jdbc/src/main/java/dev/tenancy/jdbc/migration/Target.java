package dev.tenancy.jdbc.migration;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.data.TenantMigrationStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One thing a run migrates: a tenant's own schema or database, or a shared schema.
 *
 * @param key the status record's key ({@link TenantMigrationStatus#target()})
 * @param tenant the tenant, or {@code null} for a shared schema
 * @param location the schema or database name shown in the status record
 * @param schema the schema Flyway migrates and keeps its history table in
 * @param place how to reach it
 */
record Target(String key, @Nullable Tenant tenant, String location, String schema, Place place) {

  /** @return the first status record of this target */
  TenantMigrationStatus pendingStatus(Instant now) {
    return tenant == null ? TenantMigrationStatus.pendingShared(location, now)
        : TenantMigrationStatus.pending(tenant.id(), location, now);
  }

  @Override
  public String toString() {
    return location;
  }
}
