package dev.tenancy.jdbc.audit;

import static dev.tenancy.jdbc.audit.AuditChains.FORGER_KEY;
import static dev.tenancy.jdbc.audit.AuditChains.KEY;
import static dev.tenancy.jdbc.audit.AuditChains.seal;
import static dev.tenancy.jdbc.audit.AuditPostgres.TABLE;
import static dev.tenancy.jdbc.audit.AuditPostgres.literal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditCheckpoint;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerification.Problem;
import dev.tenancy.core.audit.AuditVerifier;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of edit someone with full access to the database server could make to the PostgreSQL audit table — as the
 * owner, with the append-only trigger switched off — and the first bad position {@link AuditVerifier} reports for it.
 * The audit key and the checkpoints ({@link InMemoryAuditCheckpointStore}, standing in for the anchor outside the
 * database) are what the attacker cannot reach.
 */
class JdbcAuditSinkTamperIT {

  private static AuditPostgres database;

  private final InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
  private final AuditVerifier verifier = AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build();
  private TenantId tenant;
  private String chain;
  private List<AuditRecord> records;
  private TenantId neighbour;

  @BeforeAll
  static void startDatabase() {
    database = AuditPostgres.start();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void appendTwoChains() {
    tenant = TenantId.random();
    chain = tenant.toString();
    records = seal(tenant, 10);
    database.sink.append(records);
    neighbour = TenantId.random();
    database.sink.append(seal(neighbour, 10));
    assertThat(verify().isIntact()).as("intact before tampering").isTrue();
  }

  @Test
  void updatedRecordText_isEdited() {
    String text = database.text(chain, 5);
    database.tamper("UPDATE " + TABLE + " SET record = " + literal(text.replace("agent-5", "agent-0"))
        + " WHERE chain = '" + chain + "' AND sequence = 5");

    assertProblem(Problem.EDITED, 5);
  }

  @Test
  void deletedRowInTheMiddle_isMissing() {
    database.tamper("DELETE FROM " + TABLE + " WHERE chain = '" + chain + "' AND sequence = 5");

    assertProblem(Problem.MISSING, 5);
  }

  @Test
  void swappedRows_areReordered() {
    String fourth = database.text(chain, 4);
    String fifth = database.text(chain, 5);
    database.tamper(
        "UPDATE " + TABLE + " SET record = " + literal(fifth) + " WHERE chain = '" + chain + "' AND sequence = 4",
        "UPDATE " + TABLE + " SET record = " + literal(fourth) + " WHERE chain = '" + chain + "' AND sequence = 5");

    assertProblem(Problem.REORDERED, 4);
  }

  @Test
  void forgedRowInsertedInTheMiddle_isUnauthentic() {
    // Make room at 6 and put a record there that links to 5 and hashes correctly, but without the audit key.
    AuditRecord forged = forge(records.get(4), "agent-mallory");
    database.tamper(
        "UPDATE " + TABLE + " SET sequence = sequence + 1000000 WHERE chain = '" + chain + "' AND sequence >= 6",
        "UPDATE " + TABLE + " SET sequence = sequence - 999999 WHERE chain = '" + chain + "' AND sequence > 1000000",
        insert(chain, forged));

    assertProblem(Problem.UNAUTHENTIC, 6);
  }

  @Test
  void forgedRowAppended_isUnauthentic() {
    database.tamper(insert(chain, forge(records.get(9), "agent-mallory")));

    assertProblem(Problem.UNAUTHENTIC, 11);
  }

  @Test
  void rowCopiedFromAnotherTenantsChain_isForeign() {
    String theirs = database.text(neighbour.toString(), 5);
    database.tamper("UPDATE " + TABLE + " SET record = " + literal(theirs)
        + " WHERE chain = '" + chain + "' AND sequence = 5");

    assertProblem(Problem.FOREIGN, 5);
  }

  @Test
  void deletedTail_afterACheckpoint_isTruncated() {
    checkpoints.save(AuditCheckpoint.of(records.get(9), Instant.now(), KEY));
    // The owner's own way past the trigger this time.
    database.tamper("ALTER TABLE " + TABLE + " DISABLE TRIGGER audit_records_append_only",
        "DELETE FROM " + TABLE + " WHERE chain = '" + chain + "' AND sequence >= 8",
        "ALTER TABLE " + TABLE + " ENABLE TRIGGER audit_records_append_only");

    assertProblem(Problem.TRUNCATED, 8);
    assertThat(AuditVerifier.builder().key(KEY).build().verify(database.sink, chain).isIntact())
        .as("without a checkpoint outside the store a cut-off tail cannot be seen").isTrue();
  }

  @Test
  void storeRestoredFromAnOlderCopy_andWrittenAgain_isRolledBack() {
    checkpoints.save(AuditCheckpoint.of(records.get(9), Instant.now(), KEY));
    String side = "tenancy_audit.side_copy_" + chain.replace("-", "");
    database.tamper("CREATE TABLE " + side + " AS SELECT * FROM " + TABLE + " WHERE chain = '" + chain + "'");
    // Life goes on after the copy: two batches, a checkpoint after each.
    List<AuditRecord> later = seal(tenant, records.get(9), 2, KEY);
    database.sink.append(later);
    checkpoints.save(AuditCheckpoint.of(later.get(1), Instant.now(), KEY));
    List<AuditRecord> evenLater = seal(tenant, later.get(1), 3, KEY);
    database.sink.append(evenLater);
    checkpoints.save(AuditCheckpoint.of(evenLater.get(2), Instant.now(), KEY));
    // The store is put back to the copy, and the application, none the wiser, appends again after 10.
    database.tamper("DELETE FROM " + TABLE + " WHERE chain = '" + chain + "'",
        "INSERT INTO " + TABLE + " SELECT * FROM " + side, "DROP TABLE " + side);
    List<AuditRecord> rewritten = new ArrayList<>();
    AuditRecord previous = records.get(9);
    for (int i = 0; i < 6; i++) {
      AuditRecord next = AuditRecord.seal(event(tenant, "agent-after-restore-" + i), previous.sequence() + 1,
          previous.hash(), KEY);
      rewritten.add(next);
      previous = next;
    }
    database.sink.append(rewritten);

    assertProblem(Problem.ROLLED_BACK, 12);
  }

  @Test
  void chainRecomputedWithoutTheKey_isUnauthentic() {
    // Edit 5 and re-seal 5..10 so every hash and link is right again: only the MACs give it away.
    List<AuditRecord> rewritten = new ArrayList<>();
    AuditRecord previous = records.get(3);
    for (AuditRecord original : records.subList(4, 10)) {
      AuditEvent event = original.sequence() == 5 ? event(tenant, "agent-0") : original.event();
      AuditRecord next = AuditRecord.seal(event, original.sequence(), previous.hash(), null);
      rewritten.add(next);
      previous = next;
    }
    List<String> statements = new ArrayList<>();
    for (AuditRecord record : rewritten) {
      statements.add("UPDATE " + TABLE + " SET record = " + literal(AuditRecordCodec.toJson(record))
          + " WHERE chain = '" + chain + "' AND sequence = " + record.sequence());
    }
    database.tamper(statements.toArray(String[]::new));

    assertProblem(Problem.UNAUTHENTIC, 5);
    assertThat(AuditVerifier.builder().build().verify(database.sink, chain).isIntact())
        .as("a plain hash chain can be recomputed: this is what the key is for").isTrue();
  }

  @Test
  void otherChains_stayIntact_whileOneIsTamperedWith() {
    database.tamper("DELETE FROM " + TABLE + " WHERE chain = '" + chain + "' AND sequence = 2");

    assertThat(verify().isIntact()).isFalse();
    assertThat(verifier.verify(database.sink, neighbour.toString()).isIntact()).isTrue();
  }

  private AuditVerification verify() {
    return verifier.verify(database.sink, chain);
  }

  private void assertProblem(Problem problem, long sequence) {
    AuditVerification result = verify();
    assertThat(result.isIntact()).as(result.detail()).isFalse();
    assertThat(result.problem()).as(result.detail()).isEqualTo(problem);
    assertThat(result.problemSequence()).as(result.detail()).isEqualTo(sequence);
  }

  /** A record after {@code previous}, hashed correctly but authenticated with a key the attacker made up. */
  private static AuditRecord forge(AuditRecord previous, String actor) {
    return AuditRecord.seal(event(TenantId.of(previous.chain()), actor), previous.sequence() + 1, previous.hash(),
        FORGER_KEY);
  }

  private static AuditEvent event(@Nullable TenantId tenant, String actor) {
    return AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.exported").tenant(tenant)
        .timestamp(Instant.parse("2026-11-02T09:00:00Z"))
        .actor(AuditActorType.USER, actor).resource("lead/all").build();
  }

  private static String insert(String chain, AuditRecord record) {
    return "INSERT INTO " + TABLE + " (chain, sequence, event_time, record) VALUES ('" + chain + "', "
        + record.sequence() + ", '" + record.event().timestamp() + "', " + literal(AuditRecordCodec.toJson(record))
        + ")";
  }
}
