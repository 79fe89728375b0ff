package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditChains.ATTACKER_KEY;
import static dev.tenancy.core.audit.AuditChains.KEY;
import static dev.tenancy.core.audit.AuditChains.chain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditVerification.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker with write access to the audit files, but not to the audit key or the checkpoint file (kept on another
 * volume), edits the files at rest; a verifier in a fresh process notices every kind of edit and names the first bad
 * position.
 */
class JsonLinesAuditSinkTamperTest {

  @TempDir
  Path root;

  private final TenantId tenant = TenantId.random();
  private final TenantId neighbour = TenantId.random();
  private final String chain = tenant.toString();
  private Path events;
  private Path segment;
  private List<AuditRecord> records;
  private FileAuditCheckpointStore checkpoints;
  private JsonLinesAuditSink sink;

  /** Ten records of the tenant and ten of a neighbour; a signed checkpoint of the tenant's head at 10. */
  @BeforeEach
  void writeTwoTenantsAndCheckpoint() throws IOException {
    events = root.resolve("events");
    checkpoints = FileAuditCheckpointStore.builder().file(root.resolve("anchors/checkpoints.jsonl")).build();
    sink = JsonLinesAuditSink.builder().directory(events).build();
    records = chain(tenant, 10);
    sink.append(records);
    sink.append(chain(neighbour, 10));
    checkpoints.save(AuditCheckpoint.of(records.get(9), Instant.now(), KEY));
    sink.close();
    segment = AuditChains.onlySegment(events, chain);
  }

  @AfterEach
  void close() {
    sink.close();
    checkpoints.close();
  }

  /** A verifier as an auditor runs it: a fresh sink over the files, the key, the checkpoints. */
  private AuditVerification verify() {
    sink.close();
    sink = JsonLinesAuditSink.builder().directory(events).build();
    return AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build().verify(sink, chain);
  }

  private List<String> lines() throws IOException {
    return AuditChains.lines(segment);
  }

  private void rewrite(List<String> lines) throws IOException {
    AuditChains.write(segment, lines);
  }

  private static void assertProblem(AuditVerification result, Problem problem, long at) {
    assertThat(result.isIntact()).as("tampering must be noticed").isFalse();
    assertThat(result.problem()).as(result.detail()).isEqualTo(problem);
    assertThat(result.problemSequence()).as(result.detail()).isEqualTo(at);
  }

  @Test
  void untouched_isIntact() {
    assertThat(verify()).satisfies(result -> {
      assertThat(result.isIntact()).as(result.detail()).isTrue();
      assertThat(result.verified()).isEqualTo(10);
    });
  }

  @Test
  void editedField_isEdited() throws IOException {
    List<String> lines = lines();
    lines.set(3, lines.get(3).replace("\"agent-4\"", "\"agent-9\""));
    rewrite(lines);

    assertProblem(verify(), Problem.EDITED, 4);
  }

  @Test
  void deletedLine_isMissing() throws IOException {
    List<String> lines = lines();
    lines.remove(3);
    rewrite(lines);

    assertProblem(verify(), Problem.MISSING, 4);
  }

  @Test
  void insertedForgedLine_isUnauthentic() throws IOException {
    AuditRecord forged = chain(tenant, records.get(3), 1, ATTACKER_KEY).get(0); // a well-linked "5"
    List<String> lines = lines();
    lines.add(4, AuditRecordCodec.toJson(forged));
    rewrite(lines);

    assertProblem(verify(), Problem.UNAUTHENTIC, 5);
  }

  @Test
  void replacedLineOfAPlainHashChain_breaksTheLinkOfTheNext() throws IOException {
    // Without a key a forger can seal a record of its own, but cannot make the following record link to it.
    AuditRecord forged = chain(tenant, records.get(3), 1, null).get(0);
    List<String> lines = lines();
    lines.set(4, AuditRecordCodec.toJson(forged));
    rewrite(lines);
    sink.close();
    sink = JsonLinesAuditSink.builder().directory(events).build();

    AuditVerification result = AuditVerifier.builder().build().verify(sink, chain);

    assertProblem(result, Problem.BROKEN_LINK, 6);
  }

  @Test
  void duplicatedLine_isDuplicated() throws IOException {
    List<String> lines = lines();
    lines.add(4, lines.get(3));
    rewrite(lines);

    assertProblem(verify(), Problem.DUPLICATED, 4);
  }

  @Test
  void swappedLines_areReordered() throws IOException {
    List<String> lines = lines();
    String fourth = lines.get(3);
    lines.set(3, lines.get(4));
    lines.set(4, fourth);
    rewrite(lines);

    assertProblem(verify(), Problem.REORDERED, 4);
  }

  @Test
  void lineSplicedInFromAnotherTenantsFile_isForeign() throws IOException {
    List<String> neighbours = AuditChains.lines(AuditChains.onlySegment(events, neighbour.toString()));
    List<String> lines = lines();
    lines.set(3, neighbours.get(3));
    rewrite(lines);

    assertProblem(verify(), Problem.FOREIGN, 4);
  }

  @Test
  void linesCutOffTheEnd_areTruncatedAgainstTheCheckpoint() throws IOException {
    rewrite(lines().subList(0, 7));

    assertProblem(verify(), Problem.TRUNCATED, 8);
    assertThat(AuditVerifier.builder().key(KEY).build().verify(sink, chain).isIntact())
        .as("without the checkpoint a shortened chain looks whole: that is what checkpoints are for").isTrue();
  }

  @Test
  void directoryReplacedWithAnOlderCopyAndWrittenAgain_isRolledBack() throws IOException {
    List<String> lines = lines();
    rewrite(lines.subList(0, 5)); // the copy taken when the chain ended at 5
    sink = JsonLinesAuditSink.builder().directory(events).build();
    AuditRecord head = sink.last(chain).orElseThrow();
    sink.append(chain(tenant, head, 7, KEY)); // the application carries on from 5: new 6..12

    AuditVerification result = verify();

    assertProblem(result, Problem.ROLLED_BACK, 10);
  }

  @Test
  void directoryReplacedWithAnOlderCopyOfSeveralSegments_isRolledBack() throws IOException {
    // The same attack on a chain spread over segments: the whole directory is swapped for a copy taken earlier.
    Path older = root.resolve("older");
    Path segmented = root.resolve("segmented");
    TenantId other = TenantId.random();
    List<AuditRecord> chain = chain(other, 12);
    try (JsonLinesAuditSink writer = JsonLinesAuditSink.builder().directory(segmented).maxSegmentBytes(1_500)
        .build()) {
      writer.append(chain.subList(0, 4));
      writer.append(chain.subList(4, 6));
      copyDirectory(segmented.resolve(other.toString()), older);
      writer.append(chain.subList(6, 12));
      checkpoints.save(AuditCheckpoint.of(chain.get(11), Instant.now(), KEY));
    }
    deleteDirectory(segmented.resolve(other.toString()));
    copyDirectory(older, segmented.resolve(other.toString()));
    try (JsonLinesAuditSink restored = JsonLinesAuditSink.builder().directory(segmented).maxSegmentBytes(1_500)
        .build()) {
      AuditVerifier verifier = AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build();
      assertProblem(verifier.verify(restored, other.toString()), Problem.TRUNCATED, 7);

      restored.append(chain(other, restored.last(other.toString()).orElseThrow(), 8, KEY));

      assertProblem(verifier.verify(restored, other.toString()), Problem.ROLLED_BACK, 12);
    }
  }

  @Test
  void garbageLine_isUnreadable() throws IOException {
    List<String> lines = lines();
    lines.set(3, "this is not an audit record");
    rewrite(lines);

    AuditVerification result = verify();

    assertThat(result.isIntact()).isFalse();
    assertThat(result.problem()).isEqualTo(Problem.UNREADABLE);
    assertThat(result.detail()).contains("line 4 of " + segment);
    assertThat(result.problemSequence()).as("the garbage is at position 4").isEqualTo(4L);
    assertThat(result.verified()).isEqualTo(3);
  }

  @Test
  void bytesThatAreNotUtf8_areUnreadable() throws IOException {
    byte[] content = Files.readAllBytes(segment);
    int firstLineEnd = new String(content, StandardCharsets.UTF_8).indexOf('\n');
    content[firstLineEnd - 20] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
    Files.write(segment, content);

    AuditVerification result = verify();

    assertProblem(result, Problem.UNREADABLE, 1);
    assertThat(result.detail()).contains("not UTF-8");
  }

  @Test
  void chainRecomputedWithoutTheKey_isUnauthentic() throws IOException {
    // The attacker changes record 4 and re-seals 4..10 so that every hash and link is right again, but cannot MAC.
    List<AuditRecord> resealed = new ArrayList<>(records.subList(0, 3));
    String previous = records.get(2).hash();
    for (AuditRecord original : records.subList(3, 10)) {
      AuditEvent event = original.sequence() == 4
          ? AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.viewed").id(original.event().id())
              .tenant(tenant).timestamp(original.event().timestamp()).actor(AuditActorType.USER, "agent-4").build()
          : original.event();
      AuditRecord record = AuditRecord.seal(event, original.sequence(), previous, null);
      resealed.add(record);
      previous = record.hash();
    }
    rewrite(resealed.stream().map(AuditRecordCodec::toJson).toList());

    assertProblem(verify(), Problem.UNAUTHENTIC, 4);
  }

  @Test
  void segmentFileRemovedFromTheMiddle_isMissing() throws IOException {
    TenantId other = TenantId.random();
    Path segmented = root.resolve("segmented");
    try (JsonLinesAuditSink writer = JsonLinesAuditSink.builder().directory(segmented).maxSegmentBytes(1_500)
        .build()) {
      List<AuditRecord> chain = chain(other, 12);
      for (int i = 0; i < 12; i += 2) {
        writer.append(chain.subList(i, i + 2));
      }
    }
    Files.delete(segmented.resolve(other.toString()).resolve(ChainDirectory.segmentName(5)));

    try (JsonLinesAuditSink reopened = JsonLinesAuditSink.builder().directory(segmented).build()) {
      assertProblem(AuditVerifier.builder().key(KEY).build().verify(reopened, other.toString()), Problem.MISSING, 5);
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static void deleteDirectory(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
