package dev.tenancy.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerifier;
import dev.tenancy.core.spi.AuditSink;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditSink} must have. Extend it and return a sink:
 *
 * <pre>{@code
 * class JdbcAuditSinkCompatibilityIT extends AuditSinkCompatibilityKit {
 *   @Override
 *   protected AuditSink newSink() {
 *     return JdbcAuditSink.builder().dataSource(appRoleDataSource).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Every test uses chains of fresh random tenants, so a sink may be shared by all tests (one database) and nothing
 * needs cleaning between them. Tampering is sink-specific (an edited file line, an UPDATE by the table owner) and is
 * tested beside each sink; this kit checks that a sink stores and returns records exactly, keeps chains apart, and
 * refuses to fork a chain.
 */
public abstract class AuditSinkCompatibilityKit {

  /** 32 bytes, fixed: the kit's chains are keyed, as production chains should be. */
  protected static final AuditKey KEY = AuditKey.of("tenancy-audit-sink-kit-key-0123456789".getBytes());

  /** The sink under test, fresh for every test. */
  protected AuditSink sink;

  /** For subclasses. */
  protected AuditSinkCompatibilityKit() {
  }

  /**
   * Creates the sink to test.
   *
   * @return a sink; it may share storage with sinks returned before
   */
  protected abstract AuditSink newSink();

  @BeforeEach
  void createSink() {
    sink = newSink();
  }

  /**
   * Seals {@code count} events of one tenant into a chain starting after {@code previous}.
   *
   * @param tenant the tenant, or {@code null} for the platform chain
   * @param previous the chain's last record so far, or {@code null} to start the chain
   * @param count how many records
   * @return the records, in sequence order
   */
  protected static List<AuditRecord> chain(@Nullable TenantId tenant, @Nullable AuditRecord previous, int count) {
    List<AuditRecord> records = new ArrayList<>();
    long sequence = previous == null ? 0 : previous.sequence();
    String hash = previous == null ? AuditRecord.GENESIS : previous.hash();
    Instant start = Instant.parse("2026-11-01T09:00:00Z");
    for (int i = 0; i < count; i++) {
      sequence++;
      AuditEvent event = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated")
          .tenant(tenant).timestamp(start.plus(Duration.ofMinutes(sequence)))
          .actor(AuditActorType.USER, "agent-" + sequence).resource("lead/" + sequence)
          .traceId("trace-" + sequence).sourceAddress("203.0.113." + (sequence % 250))
          .detail("field", "price").detail("note", "quote \" backslash \\ newline \n tab \t é 🏠 \u0001")
          .build();
      AuditRecord record = AuditRecord.seal(event, sequence, hash, KEY);
      records.add(record);
      hash = record.hash();
    }
    return records;
  }

  private List<AuditRecord> readAll(String chain) {
    try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
      return records.toList();
    }
  }

  private AuditVerification verify(String chain) {
    return AuditVerifier.builder().key(KEY).build().verify(sink, chain);
  }

  @Test
  void append_thenRead_returnsEveryRecordExactlyAsGiven() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = chain(tenant, null, 5);

    sink.append(records);

    assertThat(readAll(tenant.toString())).containsExactlyElementsOf(records);
    assertThat(verify(tenant.toString()).isIntact()).isTrue();
  }

  @Test
  void append_severalBatches_continueTheChain() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> first = chain(tenant, null, 3);
    List<AuditRecord> second = chain(tenant, first.get(2), 4);

    sink.append(first);
    sink.append(second);

    assertThat(readAll(tenant.toString())).hasSize(7);
    assertThat(sink.last(tenant.toString())).contains(second.get(3));
    assertThat(verify(tenant.toString())).extracting(AuditVerification::verified).isEqualTo(7L);
  }

  @Test
  void read_aRange_returnsOnlyThatRange() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = chain(tenant, null, 10);
    sink.append(records);

    try (Stream<AuditRecord> range = sink.read(tenant.toString(), 4, 6)) {
      assertThat(range.toList()).containsExactlyElementsOf(records.subList(3, 6));
    }
  }

  @Test
  void readBetween_returnsTheEventsOfThatTimeRange() {
    TenantId tenant = TenantId.random();
    List<AuditRecord> records = chain(tenant, null, 10);
    sink.append(records);
    Instant from = records.get(2).event().timestamp();
    Instant to = records.get(5).event().timestamp();

    try (Stream<AuditRecord> between = sink.readBetween(tenant.toString(), from, to)) {
      assertThat(between.toList()).containsExactlyElementsOf(records.subList(2, 5));
    }
  }

  @Test
  void last_ofAnUnknownChain_isEmpty() {
    assertThat(sink.last(TenantId.random().toString())).isEmpty();
  }

  @Test
  void append_positionAlreadyTaken_refusedAndNothingOfTheBatchStored() {
    TenantId tenant = TenantId.random();
    TenantId other = TenantId.random();
    List<AuditRecord> stored = chain(tenant, null, 2);
    sink.append(stored);
    List<AuditRecord> fork = chain(tenant, stored.get(0), 1); // a second writer's record at sequence 2
    List<AuditRecord> batch = new ArrayList<>(chain(other, null, 1));
    batch.addAll(fork);

    assertThatThrownBy(() -> sink.append(batch)).isInstanceOf(AuditChainConflictException.class);

    assertThat(readAll(tenant.toString())).containsExactlyElementsOf(stored);
    assertThat(readAll(other.toString())).as("the whole batch is refused").isEmpty();
  }

  @Test
  void chains_keepTenantsApart() {
    TenantId acme = TenantId.random();
    TenantId globex = TenantId.random();
    sink.append(chain(acme, null, 3));
    sink.append(chain(globex, null, 2));
    sink.append(chain(null, null, 1));

    assertThat(readAll(acme.toString())).allSatisfy(record -> assertThat(record.event().tenant()).isEqualTo(acme));
    assertThat(readAll(globex.toString())).hasSize(2)
        .allSatisfy(record -> assertThat(record.event().tenant()).isEqualTo(globex));
    assertThat(sink.chains()).contains(acme.toString(), globex.toString(), AuditRecord.PLATFORM_CHAIN);
  }

  @Test
  void deleteBefore_removesOnlyTheOlderRecordsOfThatChain() {
    TenantId tenant = TenantId.random();
    TenantId other = TenantId.random();
    List<AuditRecord> records = chain(tenant, null, 6);
    sink.append(records);
    sink.append(chain(other, null, 6));

    assertThat(sink.deleteBefore(tenant.toString(), 4)).isEqualTo(3);

    assertThat(readAll(tenant.toString())).containsExactlyElementsOf(records.subList(3, 6));
    assertThat(readAll(other.toString())).hasSize(6);
  }

  @Test
  void erase_removesTheWholeChainAndNothingElse() {
    TenantId tenant = TenantId.random();
    TenantId other = TenantId.random();
    sink.append(chain(tenant, null, 4));
    sink.append(chain(other, null, 2));

    assertThat(sink.erase(tenant.toString())).isEqualTo(4);

    assertThat(readAll(tenant.toString())).isEmpty();
    assertThat(sink.last(tenant.toString())).isEmpty();
    assertThat(sink.chains()).doesNotContain(tenant.toString());
    assertThat(readAll(other.toString())).hasSize(2);
  }

  @Test
  void append_eightThreadsOnTheirOwnChains_everyChainComplete() throws Exception {
    List<TenantId> tenants = Stream.generate(TenantId::random).limit(8).toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (TenantId tenant : tenants) {
        done.add(pool.submit(() -> {
          AuditRecord last = null;
          for (int batch = 0; batch < 10; batch++) {
            List<AuditRecord> records = chain(tenant, last, 5);
            sink.append(records);
            last = records.get(records.size() - 1);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (TenantId tenant : tenants) {
      assertThat(verify(tenant.toString())).satisfies(result -> {
        assertThat(result.isIntact()).as(result.detail()).isTrue();
        assertThat(result.verified()).isEqualTo(50);
      });
    }
  }

  @Test
  void eventTimes_keepTheirMicroseconds() {
    TenantId tenant = TenantId.random();
    Instant precise = Instant.parse("2026-11-27T10:15:30.123456789Z");
    AuditEvent event = AuditEvent.builder(AuditCategory.SECURITY, "auth.token_rejected").tenant(tenant)
        .timestamp(precise).actor(AuditActorType.ANONYMOUS, "unknown").outcome(AuditOutcome.DENIED).build();
    AuditRecord record = AuditRecord.seal(event, 1, AuditRecord.GENESIS, KEY);

    sink.append(List.of(record));

    assertThat(readAll(tenant.toString())).singleElement().satisfies(read -> {
      assertThat(read.event().timestamp()).isEqualTo(precise.truncatedTo(ChronoUnit.MICROS));
      assertThat(read.hashMatches()).isTrue();
    });
  }
}
