package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditFixtures.KEY;
import static dev.tenancy.core.audit.AuditFixtures.OTHER_KEY;
import static dev.tenancy.core.audit.AuditFixtures.T0;
import static dev.tenancy.core.audit.AuditFixtures.chain;
import static dev.tenancy.core.audit.AuditFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditVerification.Problem;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of tampering an attacker with write access to the event store could do, on a keyed chain of ten records
 * with checkpoints kept elsewhere: the verifier must name the problem and the first bad position.
 */
class AuditVerifierTest {

  private final TenantId tenant = TenantId.random();
  private final String chain = tenant.toString();
  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
  private final AuditVerifier verifier = AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build();
  private List<AuditRecord> records;

  @BeforeEach
  void storeTenRecords() {
    records = chain(tenant, null, 10, KEY);
    sink.append(records);
  }

  @Test
  void untouchedChain_isIntact() {
    checkpoint(5);
    checkpoint(10);

    AuditVerification result = verifier.verify(sink, chain);

    assertThat(result.isIntact()).as(result.detail()).isTrue();
    assertThat(result.verified()).isEqualTo(10);
    assertThat(result.lastSequence()).isEqualTo(10);
  }

  @Test
  void editedField_isEdited() {
    sink.tamper(chain, stored -> {
      AuditRecord original = stored.get(3);
      AuditEvent e = original.event();
      AuditEvent edited = new AuditEvent(e.id(), e.timestamp(), e.tenant(), e.category(), e.action(), "someone-else",
          e.actorType(), e.resource(), e.outcome(), e.traceId(), e.sourceAddress(), e.details());
      stored.set(3, new AuditRecord(original.chain(), original.sequence(), original.previousHash(), original.hash(),
          original.mac(), edited));
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.EDITED, 4);
  }

  @Test
  void deletedMiddle_isMissing() {
    sink.tamper(chain, stored -> {
      stored.remove(4);
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.MISSING, 5);
  }

  @Test
  void deletedLast_withACheckpoint_isTruncated() {
    checkpoint(10);
    sink.tamper(chain, stored -> stored.subList(0, 9));

    assertProblem(verifier.verify(sink, chain), Problem.TRUNCATED, 10);
  }

  @Test
  void inserted_byAnAttackerWithoutTheKey_isUnauthentic() {
    AuditRecord forged = AuditRecord.seal(event(tenant, "lead.deleted", 99), 5, records.get(3).hash(), OTHER_KEY);
    sink.tamper(chain, stored -> {
      stored.add(4, forged);
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.UNAUTHENTIC, 5);
  }

  @Test
  void inserted_intoAPlainHashChain_isABrokenLink() {
    TenantId plain = TenantId.random();
    List<AuditRecord> unkeyed = chain(plain, null, 10, null);
    sink.append(unkeyed);
    AuditRecord forged = AuditRecord.seal(event(plain, "lead.deleted", 99), 5, unkeyed.get(3).hash(), null);
    sink.tamper(plain.toString(), stored -> {
      stored.add(4, forged);
      return stored;
    });

    AuditVerification result = AuditVerifier.builder().build().verify(sink, plain.toString());

    assertProblem(result, Problem.BROKEN_LINK, 5);
  }

  @Test
  void insertedWithAWrongLink_isABrokenLink() {
    AuditRecord forged = AuditRecord.seal(event(tenant, "lead.deleted", 99), 5, records.get(1).hash(), KEY);
    sink.tamper(chain, stored -> {
      stored.set(4, forged);
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.BROKEN_LINK, 5);
  }

  @Test
  void duplicated_isDuplicated() {
    sink.tamper(chain, stored -> {
      stored.add(5, stored.get(4));
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.DUPLICATED, 5);
  }

  @Test
  void duplicatedFurtherOn_isDuplicated() {
    sink.tamper(chain, stored -> {
      stored.add(stored.get(2));
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.DUPLICATED, 3);
  }

  @Test
  void swapped_isReordered() {
    sink.tamper(chain, stored -> {
      Collections.swap(stored, 3, 4);
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.REORDERED, 4);
  }

  @Test
  void movedToTheEnd_isReorderedNotMissing() {
    sink.tamper(chain, stored -> {
      stored.add(stored.remove(2));
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.REORDERED, 3);
  }

  @Test
  void splicedFromAnotherTenant_isForeign() {
    TenantId other = TenantId.random();
    List<AuditRecord> theirs = chain(other, null, 10, KEY);
    sink.tamper(chain, stored -> {
      stored.set(5, theirs.get(5));
      return stored;
    });

    AuditVerification result = verifier.verify(sink, chain);

    assertProblem(result, Problem.FOREIGN, 6);
    assertThat(result.detail()).contains(other.toString());
  }

  @Test
  void rolledBackToAnOlderCopy_andWrittenAgain_isRolledBack() {
    List<AuditRecord> olderCopy = new ArrayList<>(records.subList(0, 6));
    checkpoint(8);
    checkpoint(10);
    // The store is restored from a backup taken at 6; the application carries on and writes six new events.
    List<AuditRecord> rewritten = new ArrayList<>(olderCopy);
    rewritten.addAll(chain(tenant, olderCopy.get(5), 6, KEY));
    sink.tamper(chain, stored -> rewritten);

    AuditVerification result = verifier.verify(sink, chain);

    assertProblem(result, Problem.ROLLED_BACK, 8);
    assertThat(result.verified()).isEqualTo(7);
  }

  @Test
  void rolledBackToAnOlderCopy_withoutNewEvents_isTruncated() {
    checkpoint(10);
    List<AuditRecord> olderCopy = new ArrayList<>(records.subList(0, 6));
    sink.tamper(chain, stored -> olderCopy);

    assertProblem(verifier.verify(sink, chain), Problem.TRUNCATED, 7);
  }

  @Test
  void recomputedWithoutTheKey_isUnauthentic() {
    sink.tamper(chain, stored -> {
      String previous = stored.get(3).hash();
      for (int i = 4; i < stored.size(); i++) {
        AuditEvent event = i == 4 ? event(tenant, "lead.viewed", 1000) : stored.get(i).event();
        AuditRecord recomputed = AuditRecord.seal(event, i + 1, previous, OTHER_KEY);
        stored.set(i, recomputed);
        previous = recomputed.hash();
      }
      return stored;
    });

    assertProblem(verifier.verify(sink, chain), Problem.UNAUTHENTIC, 5);
  }

  @Test
  void forgedCheckpoint_isCheckpointForged() {
    checkpoint(10);
    // Cut the end off, then replace the checkpoint that would tell.
    sink.tamper(chain, stored -> stored.subList(0, 7));
    checkpoints.erase(chain);
    checkpoints.save(AuditCheckpoint.of(records.get(6), T0, OTHER_KEY));

    assertProblem(verifier.verify(sink, chain), Problem.CHECKPOINT_FORGED, 7);
  }

  @Test
  void unsignedCheckpoint_underAKeyedVerifier_isCheckpointForged() {
    sink.tamper(chain, stored -> stored.subList(0, 7));
    checkpoints.save(AuditCheckpoint.of(records.get(6), T0, null));

    assertProblem(verifier.verify(sink, chain), Problem.CHECKPOINT_FORGED, 7);
  }

  @Test
  void startRemovedByRetention_andAnchoredByItsCheckpoint_isIntact() {
    checkpoint(4);
    assertThat(sink.deleteBefore(chain, 5)).isEqualTo(4);

    AuditVerification whole = verifier.verify(sink, chain);
    AuditVerification range = verifier.verify(sink, chain, 5, 10);

    assertThat(whole.isIntact()).as(whole.detail()).isTrue();
    assertThat(whole.verified()).isEqualTo(6);
    assertThat(range.isIntact()).as(range.detail()).isTrue();
  }

  @Test
  void startDeleted_withoutAnAnchor_isMissing() {
    checkpoint(2);
    sink.tamper(chain, stored -> stored.subList(4, 10));

    assertProblem(verifier.verify(sink, chain), Problem.MISSING, 1);
  }

  @Test
  void range_afterADeletionBeforeIt_checksTheLinkToTheRecordBefore() {
    sink.tamper(chain, stored -> {
      stored.set(5, AuditRecord.seal(event(tenant, "lead.viewed", 77), 6, records.get(0).hash(), KEY));
      return stored;
    });

    assertThat(verifier.verify(sink, chain, 1, 5).isIntact()).isTrue();
    assertProblem(verifier.verify(sink, chain, 6, 10), Problem.BROKEN_LINK, 6);
  }

  private void checkpoint(long sequence) {
    checkpoints.save(AuditCheckpoint.of(records.get((int) sequence - 1), T0.plusSeconds(sequence), KEY));
  }

  private static void assertProblem(AuditVerification result, Problem problem, long sequence) {
    assertThat(result.isIntact()).as("intact?").isFalse();
    assertThat(result.problem()).as(result.detail()).isEqualTo(problem);
    assertThat(result.problemSequence()).as(result.detail()).isEqualTo(sequence);
  }
}
