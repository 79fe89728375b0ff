package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditExportFixtures.append;
import static dev.tenancy.core.audit.AuditExportFixtures.event;
import static dev.tenancy.core.audit.AuditExportFixtures.export;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditExport.Format;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.spi.AuditSink;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditExportTest {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-04-01T00:00:00Z");
  private static final TenantId A = TenantId.random();
  private static final TenantId B = TenantId.random();
  private static final AuditKey KEY = AuditKey.of(new byte[32]);

  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final AuditExport export = AuditExport.builder().sink(sink).build();

  @ParameterizedTest
  @EnumSource(Format.class)
  void export_ofTenantA_neverContainsTenantB(Format format) throws IOException {
    append(sink, KEY, List.of(event(A, T0.plusSeconds(1), "alice"), event(B, T0.plusSeconds(2), "bob-of-b"),
        event(A, T0.plusSeconds(3), "alice"), event(B, T0.plusSeconds(4), "bob-of-b")));

    String text = export(export, A, T0, T1, format);

    assertThat(text).contains(A.toString()).doesNotContain(B.toString()).doesNotContain("bob-of-b");
  }

  /**
   * Someone with write access to the store copies a record of tenant B into A's chain, once as B's record and once
   * relabelled as A's: the export must leave both out and say so, whatever the sink returns.
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void export_withRecordsOfBSplicedIntoA_leavesThemOutAndCountsThem(Format format) throws IOException {
    List<AuditRecord> a = append(sink, KEY, List.of(event(A, T0.plusSeconds(1), "alice"),
        event(A, T0.plusSeconds(5), "alice")));
    AuditRecord ofB = append(sink, KEY, event(B, T0.plusSeconds(2), "bob-of-b"));
    AuditEvent secretOfB = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.read").tenant(B)
        .timestamp(T0.plusSeconds(3)).actor(AuditActorType.USER, "carol-of-b").build();
    AuditRecord relabelled = new AuditRecord(A.toString(), 2, a.get(0).hash(), ofB.hash(), null, secretOfB);
    sink.tamper(A.toString(), records -> {
      records.add(1, ofB);
      records.add(2, relabelled);
      return records;
    });
    StringWriter out = new StringWriter();

    AuditExportSummary summary = export.export(A, T0, T1, format, out);

    assertThat(out.toString()).doesNotContain(B.toString()).doesNotContain("bob-of-b").doesNotContain("carol-of-b");
    assertThat(summary.exported()).isEqualTo(2);
    assertThat(summary.foreignSkipped()).isEqualTo(2);
    assertThat(summary.foundForeignRecords()).isTrue();
    assertThat(summary.firstSequence()).isEqualTo(1);
    assertThat(summary.lastSequence()).isEqualTo(2);
  }

  @Test
  void export_takesFromInclusiveAndToExclusive() throws IOException {
    Instant micro = T0.plus(1, ChronoUnit.MICROS);
    append(sink, null, List.of(event(A, T0.minus(1, ChronoUnit.MICROS), "before"), event(A, T0, "first"),
        event(A, micro, "second"), event(A, T1.minus(1, ChronoUnit.MICROS), "last"), event(A, T1, "after")));
    StringWriter out = new StringWriter();

    AuditExportSummary summary = export.export(A, T0, T1, Format.JSON_LINES, out);

    assertThat(out.toString().lines().map(line -> AuditRecordCodec.fromJson(line).event().actor()))
        .containsExactly("first", "second", "last");
    assertThat(summary.exported()).isEqualTo(3);
    assertThat(summary.firstSequence()).isEqualTo(2);
    assertThat(summary.lastSequence()).isEqualTo(4);
    assertThat(summary.anonymised()).isFalse();
  }

  @Test
  void export_ofAnEmptyRange_writesNothingButTheCsvHeader() throws IOException {
    append(sink, null, event(A, T0, "alice"));

    assertThat(export(export, A, T0, T0, Format.JSON_LINES)).isEmpty();
    assertThat(export(export, A, T0, T0, Format.CSV)).isEqualTo(String.join(",", AuditCsv.HEADER) + "\r\n");
    assertThat(export.export(A, T0, T0, Format.CSV, new StringWriter()).firstSequence()).isZero();
  }

  @Test
  void export_withToBeforeFrom_isRefused() {
    assertThatThrownBy(() -> export.export(A, T1, T0, Format.CSV, new StringWriter()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from <= to");
  }

  /** An auditor can check the JSON-lines export without the store: each line is the sealed record as stored. */
  @Test
  void jsonLines_areTheSealedRecords_whichAnAuditorCanVerifyLinkByLink() throws IOException {
    List<AuditRecord> stored = append(sink, KEY, List.of(event(A, T0, "alice"), event(A, T0.plusSeconds(1), "bob"),
        event(A, T0.plusSeconds(2), "carol")));

    List<String> lines = export(export, A, T0, T1, Format.JSON_LINES).lines().toList();

    assertThat(lines).containsExactlyElementsOf(stored.stream().map(AuditRecordCodec::toJson).toList());
    List<AuditRecord> read = lines.stream().map(AuditRecordCodec::fromJson).toList();
    assertThat(read).allMatch(AuditRecord::hashMatches).allMatch(record -> record.macMatches(KEY));
    for (int i = 1; i < read.size(); i++) {
      assertThat(read.get(i).previousHash()).isEqualTo(read.get(i - 1).hash());
    }
  }

  /**
   * The export must write each record before it pulls the next from the sink: the sink here makes records on demand
   * and checks, at every pull, how many lines the writer has already received.
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void export_writesEachRecordBeforeReadingTheNext(Format format) throws IOException {
    int total = 50_000;
    LineCountingWriter out = new LineCountingWriter();
    int header = format == Format.CSV ? 1 : 0;
    GeneratingSink generating = new GeneratingSink(A, total, () -> out.lines - header);

    AuditExportSummary summary = AuditExport.builder().sink(generating).build()
        .export(A, T0, T1, format, out);

    assertThat(summary.exported()).isEqualTo(total);
    assertThat(out.lines).isEqualTo(total + header);
    assertThat(generating.pulled).isEqualTo(total);
    assertThat(generating.maxUnwritten).as("records pulled but not yet written, at most").isEqualTo(1);
  }

  /** Counts the line breaks it receives; keeps nothing. */
  private static final class LineCountingWriter extends Writer {
    long lines;

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }

  /** A sink holding one chain that it seals on demand as the export pulls it, noting how far writing lags. */
  private static final class GeneratingSink implements AuditSink {
    private final TenantId tenant;
    private final int total;
    private final java.util.function.LongSupplier written;
    long pulled;
    long maxUnwritten;

    GeneratingSink(TenantId tenant, int total, java.util.function.LongSupplier written) {
      this.tenant = tenant;
      this.total = total;
      this.written = written;
    }

    @Override
    public Stream<AuditRecord> readBetween(String chain, Instant from, Instant to) {
      Iterator<AuditRecord> records = new Iterator<>() {
        private String previous = AuditRecord.GENESIS;

        @Override
        public boolean hasNext() {
          return pulled < total;
        }

        @Override
        public AuditRecord next() {
          pulled++;
          maxUnwritten = Math.max(maxUnwritten, pulled - written.getAsLong());
          AuditRecord record = AuditRecord.seal(event(tenant, from.plusMillis(pulled), "user-" + pulled), pulled,
              previous, null);
          previous = record.hash();
          return record;
        }
      };
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED), false);
    }

    @Override
    public void append(List<AuditRecord> records) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
      throw new AssertionError("the export reads by time: readBetween");
    }

    @Override
    public Optional<AuditRecord> last(String chain) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> chains() {
      return Set.of(tenant.toString());
    }

    @Override
    public long deleteBefore(String chain, long beforeSequence) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long erase(String chain) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void builder_withoutSink_saysWhatIsMissing() {
    assertThatThrownBy(() -> AuditExport.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sink(");
  }

  @Test
  void export_readsNothingOfAnotherChain_evenWhenTheSinkHoldsMany() throws IOException {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(event(i % 2 == 0 ? A : B, T0.plusSeconds(i), (i % 2 == 0 ? "a-" : "b-") + i));
    }
    append(sink, null, events);

    List<List<String>> rows = AuditExportFixtures.parseCsv(export(export, A, T0, T1, Format.CSV));

    assertThat(rows).hasSize(11);
    assertThat(rows.subList(1, rows.size())).allSatisfy(row -> {
      assertThat(row.get(3)).isEqualTo(A.toString());
      assertThat(row.get(6)).startsWith("a-");
    });
  }
}
