package dev.tenancy.core.data;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a restore did.
 *
 * @param backupId the archive restored
 * @param tenant the tenant restored
 * @param restoredAt when the restore committed
 * @param tables rows restored per table, in foreign-key load order
 * @param rowsRemoved the tenant's rows that were replaced (deleted before the archive's were inserted)
 * @param rowsRestored rows inserted from the archive
 * @since 0.1.0
 */
public record RestoreSummary(String backupId, TenantId tenant, Instant restoredAt, Map<String, Long> tables,
    long rowsRemoved, long rowsRestored) {

  /** Checks the parts and copies the table counts, keeping their order. */
  public RestoreSummary {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(restoredAt, "restoredAt");
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tables, "tables")));
    if (rowsRemoved < 0 || rowsRestored < 0) {
      throw new IllegalArgumentException("row counts must not be negative");
    }
  }
}
