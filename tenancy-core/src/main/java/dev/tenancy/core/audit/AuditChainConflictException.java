package dev.tenancy.core.audit;

import java.util.Objects;

/**
 * An {@link dev.tenancy.core.spi.AuditSink} refused a batch because a record's position in its chain is already
 * taken: another writer (another app instance) appended to the same chain first. Nothing of the batch was stored;
 * {@link AuditLog} then re-reads the chain's head and seals the events again after it, so chains never fork.
 *
 * @since 0.1.0
 */
public final class AuditChainConflictException extends AuditStorageException {
  private static final long serialVersionUID = 1L;

  private final String chain;
  private final long sequence;

  /**
   * @param chain the chain
   * @param sequence the position that was taken
   */
  public AuditChainConflictException(String chain, long sequence) {
    super("audit chain " + chain + " already holds a record at sequence " + sequence
        + ": another writer appended first; re-read the chain's last record and seal after it");
    this.chain = Objects.requireNonNull(chain, "chain");
    this.sequence = sequence;
  }

  /** @return the chain */
  public String chain() {
    return chain;
  }

  /** @return the position that was taken */
  public long sequence() {
    return sequence;
  }
}
