package dev.tenancy.core.audit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link AuditVerifier#verify}: either the chain is intact over the range checked, or the first position
 * at which it is not, and why.
 *
 * @param chain the chain checked
 * @param verified how many records were checked and found sound before the first problem (all, if intact)
 * @param lastSequence the sequence of the last sound record, 0 if none
 * @param problem what is wrong, or {@code null} if the chain is intact
 * @param problemSequence the first bad position (the sequence where the chain breaks), 0 if intact
 * @param detail a sentence for people: what was found at that position
 * @since 0.1.0
 */
public record AuditVerification(String chain, long verified, long lastSequence, @Nullable Problem problem,
    long problemSequence, String detail) {

  /** Checks the parts. */
  public AuditVerification {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(detail, "detail");
  }

  /** @return whether no problem was found */
  public boolean isIntact() {
    return problem == null;
  }

  /** What can be wrong with a chain, each the trace of one kind of tampering. */
  public enum Problem {
    /** A record's content no longer matches its hash: it was edited. */
    EDITED,
    /** The hash matches but the MAC does not: the chain was recomputed by someone without the audit key. */
    UNAUTHENTIC,
    /** A record does not link to the one before it: a record was inserted, or replaced by another. */
    BROKEN_LINK,
    /** Positions are missing: records were deleted. */
    MISSING,
    /** A position appears twice: a record was duplicated. */
    DUPLICATED,
    /** Positions are out of order: records were moved. */
    REORDERED,
    /** A record belongs to another chain: it was spliced in from another tenant's trail. */
    FOREIGN,
    /** The chain ends before a checkpoint's position: events were cut off the end, or the store was rolled back. */
    TRUNCATED,
    /** A record differs from the checkpoint taken at its position: the store was rolled back and written again. */
    ROLLED_BACK,
    /** A checkpoint's signature does not match: the checkpoint itself was forged or altered. */
    CHECKPOINT_FORGED,
    /** A stored record cannot be read back at all. */
    UNREADABLE
  }
}
