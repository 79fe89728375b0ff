package dev.tenancy.core.memory;

import dev.tenancy.core.audit.AuditCheckpoint;
import dev.tenancy.core.spi.AuditCheckpointStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link AuditCheckpointStore} in memory, for tests and embedded use. It proves nothing against a roll-back of
 * the process itself; production checkpoints belong outside the event store (e.g. a signed checkpoint file).
 *
 * @since 0.1.0
 */
public final class InMemoryAuditCheckpointStore implements AuditCheckpointStore {

  private final Map<String, List<AuditCheckpoint>> checkpoints = new HashMap<>();

  /** Creates an empty store. */
  public InMemoryAuditCheckpointStore() {
  }

  @Override
  public synchronized void save(AuditCheckpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    List<AuditCheckpoint> chain = checkpoints.computeIfAbsent(checkpoint.chain(), key -> new ArrayList<>());
    chain.removeIf(existing -> existing.sequence() == checkpoint.sequence());
    chain.add(checkpoint);
    chain.sort(Comparator.comparingLong(AuditCheckpoint::sequence));
  }

  @Override
  public synchronized List<AuditCheckpoint> checkpoints(String chain) {
    return List.copyOf(checkpoints.getOrDefault(chain, List.of()));
  }

  @Override
  public synchronized void erase(String chain) {
    checkpoints.remove(chain);
  }
}
