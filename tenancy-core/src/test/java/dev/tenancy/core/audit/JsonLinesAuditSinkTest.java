package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditChains.KEY;
import static dev.tenancy.core.audit.AuditChains.chain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file sink adds to the compatibility kit: files on disk, segments, reopening, torn tails, one writer. */
class JsonLinesAuditSinkTest {

  @TempDir
  Path directory;

  private final List<JsonLinesAuditSink> opened = new ArrayList<>();
  private final TenantId tenant = TenantId.random();
  private final String chain = tenant.toString();

  @AfterEach
  void closeSinks() {
    opened.forEach(JsonLinesAuditSink::close);
  }

  private JsonLinesAuditSink open() {
    return open(64 * 1024 * 1024);
  }

  private JsonLinesAuditSink open(long maxSegmentBytes) {
    JsonLinesAuditSink sink = JsonLinesAuditSink.builder().directory(directory).maxSegmentBytes(maxSegmentBytes)
        .build();
    opened.add(sink);
    return sink;
  }

  private static List<AuditRecord> readAll(JsonLinesAuditSink sink, String chain) {
    try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
      return records.toList();
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(directory.resolve(chain))) {
      return files.filter(file -> file.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  @Test
  void append_storesEachRecordAsItsCodecLine_verbatim() throws IOException {
    JsonLinesAuditSink sink = open();
    List<AuditRecord> records = chain(tenant, 3);

    sink.append(records);

    Path segment = directory.resolve(chain).resolve("00000000000000000001.jsonl");
    assertThat(Files.readString(segment, StandardCharsets.UTF_8)).isEqualTo(
        records.stream().map(record -> AuditRecordCodec.toJson(record) + "\n").reduce("", String::concat));
  }

  @Test
  void reopen_readsTheSameChainAndContinuesIt() {
    JsonLinesAuditSink first = open();
    List<AuditRecord> records = chain(tenant, 5);
    first.append(records);
    first.close();

    JsonLinesAuditSink second = open();
    List<AuditRecord> more = chain(tenant, records.get(4), 3, KEY);
    second.append(more);

    assertThat(second.last(chain)).contains(more.get(2));
    assertThat(readAll(second, chain)).hasSize(8).startsWith(records.toArray(AuditRecord[]::new));
    assertThat(AuditVerifier.builder().key(KEY).build().verify(second, chain).isIntact()).isTrue();
  }

  @Test
  void append_afterReopen_positionTakenOnDisk_refusedAndFileUnchanged() throws IOException {
    JsonLinesAuditSink first = open();
    List<AuditRecord> records = chain(tenant, 4);
    first.append(records);
    first.close();
    Path segment = segments().get(0);
    byte[] before = Files.readAllBytes(segment);

    JsonLinesAuditSink second = open();
    List<AuditRecord> fork = chain(tenant, records.get(1), 3, KEY); // 3, 4, 5: a writer with a stale head

    assertThatThrownBy(() -> second.append(fork)).isInstanceOfSatisfying(AuditChainConflictException.class,
        conflict -> {
          assertThat(conflict.chain()).isEqualTo(chain);
          assertThat(conflict.sequence()).isEqualTo(3);
        });
    assertThat(Files.readAllBytes(segment)).isEqualTo(before);
  }

  @Test
  void append_batchOfSeveralChainsWithOneConflict_createsNothingForTheOthers() {
    JsonLinesAuditSink sink = open();
    List<AuditRecord> stored = chain(tenant, 2);
    sink.append(stored);
    TenantId other = TenantId.random();
    List<AuditRecord> batch = new ArrayList<>(chain(other, 3));
    batch.addAll(chain(null, 2));
    batch.add(stored.get(1));

    assertThatThrownBy(() -> sink.append(batch)).isInstanceOf(AuditChainConflictException.class);

    assertThat(directory.resolve(other.toString())).doesNotExist();
    assertThat(directory.resolve(AuditRecord.PLATFORM_CHAIN)).doesNotExist();
    assertThat(sink.chains()).containsExactly(chain);
  }

  @Test
  void append_pastMaxSegmentBytes_rotatesIntoSegmentsNamedByTheirFirstSequence() throws IOException {
    JsonLinesAuditSink sink = open(2_000);
    List<AuditRecord> records = new ArrayList<>();
    AuditRecord last = null;
    for (int batch = 0; batch < 6; batch++) {
      List<AuditRecord> next = chain(tenant, last, 2, KEY);
      sink.append(next);
      records.addAll(next);
      last = next.get(1);
    }

    List<Path> segments = segments();
    assertThat(segments).hasSizeGreaterThan(2);
    for (Path segment : segments) {
      long start = Long.parseLong(segment.getFileName().toString().replace(".jsonl", ""));
      assertThat(AuditRecordCodec.fromJson(AuditChains.lines(segment).get(0)).sequence()).isEqualTo(start);
    }
    assertThat(readAll(sink, chain)).containsExactlyElementsOf(records);
    try (Stream<AuditRecord> range = sink.read(chain, 4, 9)) {
      assertThat(range.toList()).containsExactlyElementsOf(records.subList(3, 9));
    }
    sink.close();
    assertThat(readAll(open(2_000), chain)).containsExactlyElementsOf(records);
  }

  @Test
  void open_tornLastLine_isCutOffAndTheChainContinues() throws IOException {
    JsonLinesAuditSink first = open();
    List<AuditRecord> records = chain(tenant, 5);
    first.append(records);
    first.close();
    Path segment = segments().get(0);
    long complete = Files.size(segment);
    String sixth = AuditRecordCodec.toJson(chain(tenant, records.get(4), 1, KEY).get(0));
    Files.writeString(segment, sixth.substring(0, sixth.length() / 2), StandardOpenOption.APPEND);

    JsonLinesAuditSink second = open();

    assertThat(second.last(chain)).contains(records.get(4));
    assertThat(Files.size(segment)).isEqualTo(complete);
    second.append(chain(tenant, records.get(4), 2, KEY));
    assertThat(AuditVerifier.builder().key(KEY).build().verify(second, chain))
        .satisfies(result -> assertThat(result.isIntact()).as(result.detail()).isTrue())
        .extracting(AuditVerification::verified).isEqualTo(7L);
  }

  @Test
  void open_segmentHoldingOnlyATornLine_isRemovedAndTheOneBeforeContinues() throws IOException {
    JsonLinesAuditSink first = open(10);
    List<AuditRecord> records = chain(tenant, 3);
    first.append(records);
    first.close();
    Path torn = directory.resolve(chain).resolve(ChainDirectory.segmentName(4));
    Files.writeString(torn, "{\"chain\":\"" + chain);

    JsonLinesAuditSink second = open(10);

    assertThat(second.last(chain)).contains(records.get(2));
    assertThat(torn).doesNotExist();
  }

  @Test
  void open_directoryHeldByAnotherSink_refusedWithAClearMessage() {
    JsonLinesAuditSink first = open();

    assertThatThrownBy(this::open).isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("already in use").hasMessageContaining(directory.toAbsolutePath().toString());

    first.close();
    open().append(chain(tenant, 1));
  }

  @Test
  void chainNames_thatAreNotTenantIdsOrPlatform_neverBecomePaths() {
    JsonLinesAuditSink sink = open();
    AuditRecord valid = chain(tenant, 1).get(0);
    AuditRecord escaping = new AuditRecord("../escaped", 1, AuditRecord.GENESIS, valid.hash(), valid.mac(),
        valid.event());

    assertThatThrownBy(() -> sink.append(List.of(escaping))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../escaped");
    assertThatThrownBy(() -> sink.read("../..", 1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.erase("/tmp")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.last(chain.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    assertThat(directory.getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void deleteBefore_acrossSegments_removesWholeOnesRewritesTheStraddlingOneAndStaysVerifiable() throws IOException {
    JsonLinesAuditSink sink = open(1_500);
    List<AuditRecord> records = new ArrayList<>();
    AuditRecord last = null;
    for (int batch = 0; batch < 8; batch++) {
      List<AuditRecord> next = chain(tenant, last, 2, KEY);
      sink.append(next);
      records.addAll(next);
      last = next.get(1);
    }
    int segmentsBefore = segments().size();
    InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
    checkpoints.save(AuditCheckpoint.of(records.get(8), Instant.now(), KEY)); // at 9, the last removed position

    assertThat(sink.deleteBefore(chain, 10)).isEqualTo(9);

    assertThat(segments()).hasSizeLessThan(segmentsBefore);
    assertThat(readAll(sink, chain)).containsExactlyElementsOf(records.subList(9, 16));
    AuditVerifier verifier = AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build();
    assertThat(verifier.verify(sink, chain)).satisfies(result -> assertThat(result.isIntact()).as(result.detail())
        .isTrue());
    sink.append(chain(tenant, records.get(15), 1, KEY));
    sink.close();
    JsonLinesAuditSink reopened = open(1_500);
    assertThat(readAll(reopened, chain)).hasSize(8);
    assertThat(verifier.verify(reopened, chain).isIntact()).isTrue();
  }

  @Test
  void deleteBefore_pastTheEnd_removesEveryRecordAndTheChainIsNoLongerListed() {
    JsonLinesAuditSink sink = open();
    sink.append(chain(tenant, 4));

    assertThat(sink.deleteBefore(chain, 100)).isEqualTo(4);

    assertThat(sink.chains()).doesNotContain(chain);
    assertThat(sink.last(chain)).isEmpty();
  }

  @Test
  void erase_removesTheChainsDirectory() {
    JsonLinesAuditSink sink = open(1_000);
    sink.append(chain(tenant, 5));

    assertThat(sink.erase(chain)).isEqualTo(5);

    assertThat(directory.resolve(chain)).doesNotExist();
    assertThat(sink.erase(chain)).isZero();
  }

  @Test
  void read_aLineThatIsNotARecord_failsNamingTheFileAndLine() throws IOException {
    JsonLinesAuditSink first = open();
    first.append(chain(tenant, 4));
    first.close();
    Path segment = segments().get(0);
    List<String> lines = AuditChains.lines(segment);
    lines.set(2, "{\"chain\":\"" + chain + "\"}");
    AuditChains.write(segment, lines);

    JsonLinesAuditSink second = open();

    assertThatThrownBy(() -> readAll(second, chain)).isInstanceOf(AuditStorageException.class)
        .hasMessageContaining("line 3 of " + segment);
    assertThat(second.last(chain)).isPresent();
  }

  @Test
  void appends_toMoreChainsThanOpenFiles_closeAndReopenSegmentsWithoutLosingAnything() {
    JsonLinesAuditSink sink = JsonLinesAuditSink.builder().directory(directory).maxOpenFiles(2).build();
    opened.add(sink);
    List<TenantId> tenants = Stream.generate(TenantId::random).limit(12).toList();
    List<List<AuditRecord>> written = new ArrayList<>();
    tenants.forEach(each -> written.add(new ArrayList<>()));
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < tenants.size(); i++) {
        List<AuditRecord> chainSoFar = written.get(i);
        List<AuditRecord> next = chain(tenants.get(i), chainSoFar.isEmpty() ? null
            : chainSoFar.get(chainSoFar.size() - 1), 3, KEY);
        sink.append(next);
        chainSoFar.addAll(next);
      }
    }

    for (int i = 0; i < tenants.size(); i++) {
      assertThat(readAll(sink, tenants.get(i).toString())).containsExactlyElementsOf(written.get(i));
    }
  }

  @Test
  void close_isIdempotentAndTheClosedSinkRefusesWork() {
    JsonLinesAuditSink sink = open();
    sink.close();
    sink.close();

    assertThatThrownBy(() -> sink.append(chain(tenant, 1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(sink::chains).isInstanceOf(IllegalStateException.class);
  }
}
