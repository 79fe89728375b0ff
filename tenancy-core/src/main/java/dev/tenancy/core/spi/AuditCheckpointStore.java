package dev.tenancy.core.spi;

import dev.tenancy.core.audit.AuditCheckpoint;
import dev.tenancy.core.audit.AuditStorageException;
import java.util.List;
import java.util.Optional;

/**
 * Keeps audit checkpoints (a chain's head at a moment) somewhere the event store's writers cannot reach: another
 * database, a separate file, an object store with retention lock. A checkpoint in the same database as the events
 * would be rolled back with them, and prove nothing.
 *
 * @since 0.1.0
 */
public interface AuditCheckpointStore {

  /**
   * Stores a checkpoint durably.
   *
   * @param checkpoint the checkpoint
   * @throws AuditStorageException if it cannot be stored
   */
  void save(AuditCheckpoint checkpoint);

  /**
   * @param chain the chain
   * @return its checkpoints in ascending sequence order
   */
  List<AuditCheckpoint> checkpoints(String chain);

  /**
   * @param chain the chain
   * @return its checkpoint with the highest sequence
   */
  default Optional<AuditCheckpoint> latest(String chain) {
    List<AuditCheckpoint> all = checkpoints(chain);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Removes a chain's checkpoints (erasure when its tenant is purged).
   *
   * @param chain the chain
   */
  void erase(String chain);
}
