package dev.tenancy.core.spi;

import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditStorageException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where sealed audit records are kept: append-only storage of per-tenant hash chains. The chaining, hashing and
 * verification stay in {@code dev.tenancy.core.audit}; a sink stores and returns records exactly as given.
 *
 * <p>Implementations: {@code InMemoryAuditSink} (tests, embedded use), {@code JsonLinesAuditSink} (rotating files,
 * fsync per batch), {@code JdbcAuditSink} (PostgreSQL/H2 table the app role can only insert into and read). Each
 * should pass {@code dev.tenancy.test.AuditSinkCompatibilityKit}.
 *
 * @since 0.1.0
 */
public interface AuditSink {

  /**
   * Stores a batch, all or nothing, durably: when this method returns, the records survive a crash of the process
   * (and, for sinks that say so, of the machine). Records of one chain arrive in sequence order.
   *
   * @param records records of one or more chains, each chain's in ascending sequence
   * @throws AuditChainConflictException if a record's (chain, sequence) is already stored; nothing of the batch is
   *     stored then
   * @throws AuditStorageException if the records cannot be stored; nothing of the batch is stored then
   */
  void append(List<AuditRecord> records);

  /**
   * Reads part of a chain in the order it is stored, so that a verifier sees records moved, duplicated or spliced in.
   * The caller closes the stream.
   *
   * @param chain the chain
   * @param fromSequence the lowest sequence to return
   * @param toSequence the highest sequence to return
   * @return the records whose sequence lies in the range, as stored
   * @throws AuditStorageException if the storage cannot be read, or a stored record cannot be parsed
   */
  Stream<AuditRecord> read(String chain, long fromSequence, long toSequence);

  /**
   * Reads the records of a chain whose events happened in a time range, for exports. The default filters
   * {@link #read}; a sink with an index on time should override it.
   *
   * @param chain the chain
   * @param from the earliest event time, inclusive
   * @param to the latest event time, exclusive
   * @return the records, in sequence order
   */
  default Stream<AuditRecord> readBetween(String chain, Instant from, Instant to) {
    return read(chain, 1, AuditRecord.MAX_SEQUENCE).filter(record -> !record.event().timestamp().isBefore(from)
        && record.event().timestamp().isBefore(to));
  }

  /**
   * @param chain the chain
   * @return the chain's record with the highest sequence, to continue the chain after a restart
   */
  Optional<AuditRecord> last(String chain);

  /** @return every chain that holds at least one record */
  Set<String> chains();

  /**
   * Removes a chain's records below a sequence (retention). Take a checkpoint at {@code beforeSequence - 1} first, so
   * that the remaining chain stays verifiable.
   *
   * @param chain the chain
   * @param beforeSequence the lowest sequence to keep
   * @return how many records were removed
   */
  long deleteBefore(String chain, long beforeSequence);

  /**
   * Removes a chain entirely (erasure when its tenant is purged).
   *
   * @param chain the chain
   * @return how many records were removed
   */
  long erase(String chain);
}
