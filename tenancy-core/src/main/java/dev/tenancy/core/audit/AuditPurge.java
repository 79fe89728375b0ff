package dev.tenancy.core.audit;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuditRetention} did to one chain.
 *
 * @param chain the chain: a tenant's id, or {@value AuditRecord#PLATFORM_CHAIN}
 * @param outcome what happened
 * @param cutoff events older than this were due for purging, or {@code null} when the chain is kept forever
 * @param removed how many records were removed
 * @param purgedThrough the sequence of the last record removed (where the anchoring checkpoint was taken), 0 if none
 * @param verification why the purge was refused, when {@link Outcome#REFUSED} because the chain is not intact
 * @param detail a sentence for people
 * @since 0.1.0
 */
public record AuditPurge(String chain, Outcome outcome, @Nullable Instant cutoff, long removed, long purgedThrough,
    @Nullable AuditVerification verification, String detail) {

  /** Checks the parts. */
  public AuditPurge {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  /** What retention did to a chain. */
  public enum Outcome {
    /** Old records were removed, after a checkpoint at the last removed position was saved. */
    PURGED,
    /** Retention applies, but no record other than the head is older than the cutoff. */
    NOTHING_DUE,
    /** No retention applies (none configured for the tier, the tenant is unknown, or the chain is empty). */
    KEPT,
    /**
     * The records due for purging do not verify (tampered, or keyed while retention has no key): nothing was removed,
     * because removing them would destroy the evidence and anchor the rest on a forged record.
     */
    REFUSED,
    /** The sink or checkpoint store failed; nothing was removed unless {@code removed} says otherwise. */
    FAILED
  }
}
