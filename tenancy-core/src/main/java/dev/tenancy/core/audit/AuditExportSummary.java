package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What an {@link AuditExport} wrote.
 *
 * @param tenant the tenant whose trail was exported
 * @param from the earliest event time asked for, inclusive
 * @param to the latest event time asked for, exclusive
 * @param format the format written
 * @param anonymised whether actors, addresses and the listed details were replaced by pseudonyms
 * @param exported how many events were written
 * @param firstSequence the chain position of the first event written, 0 if none
 * @param lastSequence the chain position of the last event written, 0 if none
 * @param foreignSkipped how many records stored in the tenant's chain belonged to another chain and were left out:
 *     anything above 0 means the store was tampered with (run {@link AuditVerifier}, which reports them as
 *     {@link AuditVerification.Problem#FOREIGN})
 * @since 0.1.0
 */
public record AuditExportSummary(TenantId tenant, Instant from, Instant to, AuditExport.Format format,
    boolean anonymised, long exported, long firstSequence, long lastSequence, long foreignSkipped) {

  /** Checks the parts. */
  public AuditExportSummary {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(format, "format");
  }

  /** @return whether records of another chain were found in the tenant's trail (and left out of the export) */
  public boolean foundForeignRecords() {
    return foreignSkipped > 0;
  }
}
