package dev.tenancy.core.memory;

import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.spi.AuditSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An {@link AuditSink} in memory, for tests and embedded use: durable only as long as the process. Batches are
 * applied under one lock, all or nothing.
 *
 * @since 0.1.0
 */
public final class InMemoryAuditSink implements AuditSink {

  private final Map<String, List<AuditRecord>> chains = new HashMap<>();

  /** Creates an empty sink. */
  public InMemoryAuditSink() {
  }

  @Override
  public synchronized void append(List<AuditRecord> records) {
    Objects.requireNonNull(records, "records");
    Map<String, Long> next = new HashMap<>();
    for (AuditRecord record : records) {
      long expected = next.computeIfAbsent(record.chain(), chain -> last(chain).map(AuditRecord::sequence).orElse(0L))
          + 1;
      if (record.sequence() < expected) {
        throw new AuditChainConflictException(record.chain(), record.sequence());
      }
      next.put(record.chain(), record.sequence());
    }
    for (AuditRecord record : records) {
      chains.computeIfAbsent(record.chain(), chain -> new ArrayList<>()).add(record);
    }
  }

  @Override
  public synchronized Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
    return List.copyOf(chains.getOrDefault(chain, List.of())).stream()
        .filter(record -> record.sequence() >= fromSequence && record.sequence() <= toSequence);
  }

  @Override
  public synchronized Optional<AuditRecord> last(String chain) {
    return chains.getOrDefault(chain, List.of()).stream()
        .max((a, b) -> Long.compare(a.sequence(), b.sequence()));
  }

  @Override
  public synchronized Set<String> chains() {
    return new TreeSet<>(chains.keySet());
  }

  @Override
  public synchronized long deleteBefore(String chain, long beforeSequence) {
    List<AuditRecord> records = chains.get(chain);
    if (records == null) {
      return 0;
    }
    int before = records.size();
    records.removeIf(record -> record.sequence() < beforeSequence);
    return before - records.size();
  }

  @Override
  public synchronized long erase(String chain) {
    List<AuditRecord> removed = chains.remove(chain);
    return removed == null ? 0 : removed.size();
  }

  /**
   * Rewrites a chain's stored records as they are, bypassing every check — for tamper tests that must show the
   * verifier notices what an attacker with access to the storage could do.
   *
   * @param chain the chain
   * @param change receives the stored records (a mutable copy) and returns what is stored from now on
   */
  public synchronized void tamper(String chain, UnaryOperator<List<AuditRecord>> change) {
    chains.put(chain, new ArrayList<>(change.apply(new ArrayList<>(chains.getOrDefault(chain, List.of())))));
  }
}
