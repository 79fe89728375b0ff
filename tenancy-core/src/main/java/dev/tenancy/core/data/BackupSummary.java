package dev.tenancy.core.data;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One archive of one tenant's data.
 *
 * @param backupId the archive's id, opaque and safe as a file name
 * @param tenant the tenant whose data it holds
 * @param createdAt when it was taken (the data is as of one snapshot at that time)
 * @param tables rows per table, in foreign-key load order
 * @param rows rows over all tables
 * @param sha256 SHA-256 (lower-case hex) of the archive's manifest, which holds the SHA-256 of every table file: it
 *     identifies the archive's whole content
 * @since 0.1.0
 */
public record BackupSummary(String backupId, TenantId tenant, Instant createdAt, Map<String, Long> tables, long rows,
    String sha256) {

  /** Checks the parts and copies the table counts, keeping their order. */
  public BackupSummary {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(sha256, "sha256");
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tables, "tables")));
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative, was " + rows);
    }
  }
}
