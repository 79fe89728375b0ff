package dev.tenancy.core.audit;

import dev.tenancy.core.spi.AuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Checks a chain as stored: every record's hash (and MAC, when chains are keyed), every link to the record before,
 * the positions (no gap, no repeat, no move), that every record belongs to the chain, and that the chain agrees with
 * every checkpoint kept outside the store (nothing cut off the end, no roll-back). It reports the first bad position.
 *
 * <pre>{@code
 * AuditVerifier verifier = AuditVerifier.builder().key(auditKey).checkpoints(checkpointStore).build();
 * AuditVerification result = verifier.verify(sink, tenantId.toString());
 * if (!result.isIntact()) {
 *   alert(result.problem() + " at " + result.problemSequence() + ": " + result.detail());
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AuditVerifier {

  private final @Nullable AuditKey key;
  private final @Nullable AuditCheckpointStore checkpoints;

  private AuditVerifier(Builder builder) {
    this.key = builder.key;
    this.checkpoints = builder.checkpoints;
  }

  /** @return a builder; without a key only hashes are checked, without checkpoints no roll-back can be seen */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a whole chain, from its first retained record (anchored by the checkpoint retention left) to its end
   * (compared with the latest checkpoint).
   *
   * @param sink where the chain is stored
   * @param chain the chain, a tenant id or {@value AuditRecord#PLATFORM_CHAIN}
   * @return intact, or the first problem
   */
  public AuditVerification verify(AuditSink sink, String chain) {
    return verify(sink, chain, 1, AuditRecord.MAX_SEQUENCE);
  }

  /**
   * Verifies part of a chain. The first record's link is checked against the record (or checkpoint) before the
   * range; the end is compared with the checkpoints inside the range.
   *
   * @param sink where the chain is stored
   * @param chain the chain
   * @param fromSequence the first position to check, at least 1
   * @param toSequence the last position to check
   * @return intact, or the first problem
   */
  public AuditVerification verify(AuditSink sink, String chain, long fromSequence, long toSequence) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(chain, "chain");
    if (fromSequence < 1 || toSequence < fromSequence) {
      throw new IllegalArgumentException("verify needs 1 <= fromSequence <= toSequence, was " + fromSequence + ".."
          + toSequence);
    }
    List<AuditCheckpoint> anchors = checkpoints == null ? List.of() : checkpoints.checkpoints(chain);
    Map<Long, AuditCheckpoint> bySequence = new HashMap<>();
    for (AuditCheckpoint checkpoint : anchors) {
      if (key != null && !checkpoint.signatureMatches(key)) {
        return new Run(sink, chain, fromSequence).fail(AuditVerification.Problem.CHECKPOINT_FORGED,
            checkpoint.sequence(), "the checkpoint at " + checkpoint.sequence() + " is not signed with this audit key");
      }
      bySequence.put(checkpoint.sequence(), checkpoint);
    }
    Run run = new Run(sink, chain, fromSequence);
    try {
      @Nullable AuditRecord before = fromSequence == 1 ? null : first(sink, chain, fromSequence - 1);
      try (Stream<AuditRecord> stored = sink.read(chain, fromSequence, toSequence)) {
        return run.walk(stored.iterator(), before, bySequence, anchors, toSequence);
      }
    } catch (AuditStorageException unreadable) {
      return run.fail(AuditVerification.Problem.UNREADABLE, run.expected, unreadable.getMessage());
    }
  }

  /** The record stored first at a position, as a walk in stored order would have met it. */
  private static @Nullable AuditRecord first(AuditSink sink, String chain, long sequence) {
    try (Stream<AuditRecord> at = sink.read(chain, sequence, sequence)) {
      return at.findFirst().orElse(null);
    }
  }

  /** One pass over a chain's records, in the order they are stored. */
  private final class Run {
    private final AuditSink sink;
    private final String chain;
    private long expected;
    private long verified;
    private long last;
    /** The first position accepted; a record below it was never met in order, so it was moved, not repeated. */
    private long first;
    private @Nullable AuditStorageException unreadable;

    Run(AuditSink sink, String chain, long fromSequence) {
      this.sink = sink;
      this.chain = chain;
      this.expected = fromSequence;
      this.first = fromSequence;
    }

    AuditVerification walk(Iterator<AuditRecord> records, @Nullable AuditRecord before,
        Map<Long, AuditCheckpoint> bySequence, List<AuditCheckpoint> anchors, long toSequence) {
      @Nullable String previous = expected == 1 ? AuditRecord.GENESIS : before != null ? before.hash() : null;
      if (previous == null) {
        AuditCheckpoint anchor = bySequence.get(expected - 1);
        previous = anchor == null ? null : anchor.hash();
      }
      AuditRecord next = advance(records);
      if (next != null && next.sequence() > expected && before == null && next.chain().equals(chain)) {
        // Retention removed the start (of the chain, or of the range): the checkpoint it left at the last removed
        // position must anchor the first retained record. Without such an anchor the walk below reports MISSING.
        AuditCheckpoint anchor = bySequence.get(next.sequence() - 1);
        if (anchor != null && anchor.hash().equals(next.previousHash())) {
          expected = next.sequence();
          first = expected;
          previous = anchor.hash();
        }
      }
      while (next != null) {
        AuditRecord record = next;
        next = advance(records);
        if (!record.chain().equals(chain) || !record.event().chain().equals(chain)) {
          return fail(AuditVerification.Problem.FOREIGN, expected, "the record stored at position " + expected
              + " belongs to chain " + record.event().chain() + " (event " + record.event().id() + ")");
        }
        if (record.sequence() < expected) {
          return repeated(record);
        }
        if (record.sequence() > expected) {
          return gap(record, next, records);
        }
        if (!record.hashMatches()) {
          return fail(AuditVerification.Problem.EDITED, expected, "the record at " + expected
              + " does not match its hash: its content was changed");
        }
        if (key != null && !record.macMatches(key)) {
          return fail(AuditVerification.Problem.UNAUTHENTIC, expected, "the record at " + expected
              + " is not authenticated by this audit key: the chain was recomputed without it");
        }
        if (previous != null && !record.previousHash().equals(previous)) {
          return fail(AuditVerification.Problem.BROKEN_LINK, expected, "the record at " + expected
              + " does not link to the record before it: a record was inserted or replaced");
        }
        AuditCheckpoint checkpoint = bySequence.get(record.sequence());
        if (checkpoint != null && !checkpoint.hash().equals(record.hash())) {
          return fail(AuditVerification.Problem.ROLLED_BACK, expected, "the record at " + expected
              + " differs from the checkpoint taken at " + checkpoint.createdAt()
              + ": the store was rolled back and written again");
        }
        previous = record.hash();
        last = record.sequence();
        verified++;
        expected++;
      }
      if (unreadable != null) {
        return fail(AuditVerification.Problem.UNREADABLE, expected, unreadable.getMessage());
      }
      for (AuditCheckpoint checkpoint : anchors) {
        if (checkpoint.sequence() > last && checkpoint.sequence() <= toSequence && checkpoint.sequence() >= expected) {
          return fail(AuditVerification.Problem.TRUNCATED, expected, "the chain ends at " + last
              + " but a checkpoint taken at " + checkpoint.createdAt() + " vouches for " + checkpoint.sequence()
              + ": events were cut off or the store was rolled back");
        }
      }
      return new AuditVerification(chain, verified, last, null, 0, "intact: " + verified + " records");
    }

    /**
     * The next stored record. The walk reads one ahead, so a record that cannot be read is held back until the ones
     * before it are checked, and then reported at its own position.
     */
    private @Nullable AuditRecord advance(Iterator<AuditRecord> records) {
      if (unreadable != null) {
        return null;
      }
      try {
        return records.hasNext() ? records.next() : null;
      } catch (AuditStorageException e) {
        unreadable = e;
        return null;
      }
    }

    /** A position below the expected one: met before (a copy, or a second record claiming it), or moved back. */
    private AuditVerification repeated(AuditRecord record) {
      long sequence = record.sequence();
      if (sequence < first) {
        return fail(AuditVerification.Problem.REORDERED, sequence, "position " + sequence + " is stored after "
            + last);
      }
      AuditRecord met = first(sink, chain, sequence);
      if (met != null && met.hash().equals(record.hash())) {
        return fail(AuditVerification.Problem.DUPLICATED, sequence, "position " + sequence + " appears twice");
      }
      // Two different records claim one position, and the one met first linked correctly: the other was inserted.
      return fail(AuditVerification.Problem.BROKEN_LINK, sequence, "position " + sequence
          + " is held by two different records: one was inserted (the chain forks there)");
    }

    /** A position above the expected one: the expected record is either stored later (moved) or gone (deleted). */
    private AuditVerification gap(AuditRecord record, @Nullable AuditRecord next, Iterator<AuditRecord> rest) {
      // Only on the failure path: reading on to the end tells a move from a deletion.
      for (AuditRecord later = next; later != null; later = rest.hasNext() ? rest.next() : null) {
        if (later.sequence() == expected && later.chain().equals(chain)) {
          return fail(AuditVerification.Problem.REORDERED, expected, "position " + record.sequence()
              + " is stored before " + expected);
        }
      }
      String detail = verified == 0
          ? "the range starts at " + record.sequence() + " and no checkpoint anchors the records before it: "
              + expected + ".." + (record.sequence() - 1) + " were deleted"
          : "positions " + expected + ".." + (record.sequence() - 1) + " are missing";
      return fail(AuditVerification.Problem.MISSING, expected, detail);
    }

    AuditVerification fail(AuditVerification.Problem problem, long at, String detail) {
      return new AuditVerification(chain, verified, last, problem, at, detail);
    }
  }

  /** Configures an {@link AuditVerifier}. */
  public static final class Builder {
    private @Nullable AuditKey key;
    private @Nullable AuditCheckpointStore checkpoints;

    private Builder() {
    }

    /**
     * @param key the key chains were sealed with; then every MAC and checkpoint signature must match
     * @return this builder
     */
    public Builder key(AuditKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * @param checkpoints where checkpoints are kept, outside the event store
     * @return this builder
     */
    public Builder checkpoints(AuditCheckpointStore checkpoints) {
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
      return this;
    }

    /** @return the verifier */
    public AuditVerifier build() {
      return new AuditVerifier(this);
    }
  }
}
