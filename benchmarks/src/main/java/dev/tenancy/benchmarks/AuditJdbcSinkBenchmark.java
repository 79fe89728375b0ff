package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.jdbc.audit.JdbcAuditSink;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sustained audit records per second into PostgreSQL through {@link JdbcAuditSink}, in batches of {@value #BATCH},
 * next to a baseline in the same run that inserts the same bytes without sealing.
 *
 * <ul>
 *   <li>{@code sealAndAppend}: what the audit writer does per batch — seal {@value #BATCH} events into the thread's
 *       chain (SHA-256 over the canonical JSON plus HMAC-SHA256 with the audit key) and {@link JdbcAuditSink#append}
 *       them (encode each record to its canonical JSON, one JDBC batch, one transaction, commit).</li>
 *   <li>{@code baselineInsert}: the same four columns with the same SQL, batch size and commit into an identical table
 *       (same migration, trigger and indexes, in a second schema), the record texts encoded once before the trial —
 *       what storing these bytes costs with no chain at all.</li>
 *   <li>{@code sealAndEncodeOnly}: the CPU part of {@code sealAndAppend} without the database (sealing and encoding a
 *       batch), to show where the time goes.</li>
 * </ul>
 *
 * <p>Each trial creates its own database ({@link BenchDatabase}); the table's owner (the superuser) migrates, and both
 * sides write as a non-owner application role with only the privileges {@link JdbcAuditSink#grantSql} lists, through
 * a HikariCP pool, each benchmark thread on its own tenant's chain. {@code rewriteBatchedInserts} is the pgjdbc option
 * that turns a batch into multi-row INSERTs; it is the user's to set on the pool's URL. Every iteration checks
 * afterwards that the chains hold every record appended.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AuditJdbcSinkBenchmark -f 1 -wi 2 -w 3s -i 5 -r 3s
 * java -jar benchmarks/target/benchmarks.jar AuditJdbcSinkBenchmark -t 4 -p rewriteBatchedInserts=true
 * </pre>
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class AuditJdbcSinkBenchmark {

  static final int BATCH = 512;

  private static final AuditKey KEY = AuditKey.of("audit-jdbc-benchmark-key-0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  private static final String BASELINE_SCHEMA = "audit_baseline";

  /** Creates the benchmark; JMH instantiates it. */
  public AuditJdbcSinkBenchmark() {
  }

  /** The database, the pool of the application role, the sink and the baseline's insert. */
  @State(Scope.Benchmark)
  public static class Store {

    /** Whether pgjdbc rewrites a batch into multi-row INSERTs (a property of the user's pool, not of the sink). */
    @Param({"false", "true"})
    public boolean rewriteBatchedInserts;

    BenchDatabase database;
    HikariDataSource pool;
    JdbcAuditSink sink;
    String baselineInsert;

    /** Creates the state; JMH instantiates it. */
    public Store() {
    }

    /** Creates the database, migrates both tables as the owner, and opens the application role's pool. */
    @Setup(Level.Trial)
    public void open() {
      database = BenchDatabase.create();
      String app = database.createApplicationRole("bench_audit");
      HikariDataSource owner = database.pool(BenchDatabase.ADMIN_USER, 2); // Flyway takes two connections
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(database.url());
      config.setUsername(app);
      config.setMaximumPoolSize(8);
      config.setPoolName("bench-audit");
      config.addDataSourceProperty("reWriteBatchedInserts", Boolean.toString(rewriteBatchedInserts));
      pool = new HikariDataSource(config);
      sink = JdbcAuditSink.builder().dataSource(pool).migrationDataSource(owner).build();
      // An identical table (same script, trigger, indexes and grants) in its own schema, for the baseline.
      JdbcAuditSink.builder().dataSource(pool).migrationDataSource(owner).schema(BASELINE_SCHEMA).build();
      baselineInsert = "INSERT INTO " + BASELINE_SCHEMA + ".audit_records (chain, sequence, event_time, record)"
          + " VALUES (?, ?, ?, ?)";
    }

    /** Closes the pool and drops the database. */
    @TearDown(Level.Trial)
    public void close() {
      pool.close();
      database.close();
    }
  }

  /** One benchmark thread's chain: its tenant, its head, and the events and pre-encoded texts of one batch. */
  @State(Scope.Thread)
  public static class Writer {

    TenantId tenant;
    List<AuditEvent> events;
    AuditRecord head;
    long appended;
    /** The baseline's pre-encoded record texts and their event times. */
    String[] texts;
    OffsetDateTime[] times;
    String baselineChain;
    long baselineSequence;

    /** Creates the state; JMH instantiates it. */
    public Writer() {
    }

    /** Builds one batch of events (reused for every batch: sealing them at new positions makes new records). */
    @Setup(Level.Trial)
    public void prepare() {
      tenant = TenantId.random();
      events = new ArrayList<>(BATCH);
      Instant start = Instant.parse("2026-11-27T09:00:00Z");
      for (int i = 0; i < BATCH; i++) {
        events.add(AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated").tenant(tenant)
            .timestamp(start.plusMillis(i)).actor(AuditActorType.USER, "agent-" + (i % 40) + "@acme-realty.example")
            .resource("lead/" + (100_000 + i)).traceId("4bf92f3577b34da6a3ce929d0e0e" + (1000 + i))
            .sourceAddress("203.0.113." + (i % 250)).detail("field", "price").detail("from", "420000")
            .detail("to", "415000").build());
      }
      texts = new String[BATCH];
      times = new OffsetDateTime[BATCH];
      String hash = AuditRecord.GENESIS;
      for (int i = 0; i < BATCH; i++) {
        AuditRecord record = AuditRecord.seal(events.get(i), i + 1, hash, KEY);
        texts[i] = AuditRecordCodec.toJson(record);
        times[i] = OffsetDateTime.ofInstant(record.event().timestamp(), ZoneOffset.UTC);
        hash = record.hash();
      }
      baselineChain = TenantId.random().toString();
    }

    /**
     * Checks after each iteration (while the pool is still open) that the sink holds every record this thread
     * appended.
     *
     * @param store the sink
     */
    @TearDown(Level.Iteration)
    public void check(Store store) {
      long stored = head == null ? 0 : store.sink.last(tenant.toString()).orElseThrow().sequence();
      if (stored != appended) {
        throw new IllegalStateException("the chain holds " + stored + " records, but " + appended + " were appended");
      }
    }
  }

  /**
   * Seals one batch into the thread's chain and appends it.
   *
   * @param store the sink
   * @param writer the thread's chain
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void sealAndAppend(Store store, Writer writer) {
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    long sequence = writer.head == null ? 0 : writer.head.sequence();
    String hash = writer.head == null ? AuditRecord.GENESIS : writer.head.hash();
    for (AuditEvent event : writer.events) {
      AuditRecord record = AuditRecord.seal(event, ++sequence, hash, KEY);
      batch.add(record);
      hash = record.hash();
    }
    store.sink.append(batch);
    writer.head = batch.get(BATCH - 1);
    writer.appended += BATCH;
  }

  /**
   * The CPU part of {@code sealAndAppend} alone, without the database: sealing a batch and encoding each record to the
   * text the sink stores. It does not advance the thread's chain.
   *
   * @param writer the thread's chain
   * @param blackhole consumes the texts
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void sealAndEncodeOnly(Writer writer, Blackhole blackhole) {
    long sequence = writer.head == null ? 0 : writer.head.sequence();
    String hash = writer.head == null ? AuditRecord.GENESIS : writer.head.hash();
    for (AuditEvent event : writer.events) {
      AuditRecord record = AuditRecord.seal(event, ++sequence, hash, KEY);
      blackhole.consume(AuditRecordCodec.toJson(record));
      hash = record.hash();
    }
  }

  /**
   * Baseline: inserts the same pre-encoded texts into the identical table, same batch and transaction, no sealing.
   *
   * @param store the pool
   * @param writer the thread's texts
   * @throws SQLException if the insert fails
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void baselineInsert(Store store, Writer writer) throws SQLException {
    try (Connection connection = store.pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(store.baselineInsert)) {
        for (int i = 0; i < BATCH; i++) {
          insert.setString(1, writer.baselineChain);
          insert.setLong(2, ++writer.baselineSequence);
          insert.setObject(3, writer.times[i]);
          insert.setString(4, writer.texts[i]);
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }
}
