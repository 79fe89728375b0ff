package dev.tenancy.benchmarks;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.core.audit.JsonLinesAuditSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * Sustained records per second into the {@link JsonLinesAuditSink}, next to its baseline in the same run.
 *
 * <ul>
 *   <li>{@code sealEncodeAppend}: what the audit writer does per batch of {@value #BATCH}: seal each event into the
 *       chain (SHA-256 over its canonical JSON, HMAC-SHA256 with an {@link AuditKey}), then {@code append}, which
 *       encodes every record as its canonical JSON line, writes the batch in one write and forces it to disk.
 *   <li>{@code writeSameBytes}: the floor: the very same lines, encoded before the run, written with the same batching
 *       and the same {@code fsync} per batch through a bare {@link FileChannel}; no hashing, sealing or encoding.
 * </ul>
 *
 * <p>Each benchmark thread appends to its own tenant's chain ({@code -t 2}: two chains in parallel). Every iteration
 * starts with empty directories under {@code java.io.tmpdir} (or {@code -Dtenancy.bench.dir=…}), removed afterwards;
 * {@code fsync=false} shows what the disk's flush costs.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AuditFileSinkBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * java -jar benchmarks/target/benchmarks.jar AuditFileSinkBenchmark -t 2 -p fsync=true
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditFileSinkBenchmark {

  static final int BATCH = 512;
  /** Distinct events cycled through; their sealed lines are what the baseline writes. */
  static final int EVENTS = 8 * BATCH;
  static final AuditKey KEY = AuditKey.of("tenancy-benchmark-audit-key-0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));

  @Param({"true", "false"})
  public boolean fsync;

  private Path root;
  private JsonLinesAuditSink sink;

  @Setup(Level.Iteration)
  public void openSink() throws IOException {
    root = Files.createTempDirectory(Path.of(System.getProperty("tenancy.bench.dir",
        System.getProperty("java.io.tmpdir"))), "tenancy-audit-bench-");
    sink = JsonLinesAuditSink.builder().directory(root.resolve("sink")).fsync(fsync).build();
  }

  @TearDown(Level.Iteration)
  public void removeSink() throws IOException {
    sink.close();
    deleteTree(root);
  }

  /** One benchmark thread's chain, and the same chain pre-encoded for the baseline. */
  @State(Scope.Thread)
  public static class Chain {
    AuditEvent[] events;
    byte[][] encodedBatches;
    List<AuditRecord> sealed;
    long sequence;
    String previousHash;
    int nextBatch;
    FileChannel baseline;
    long baselinePosition;

    @Setup(Level.Iteration)
    public void start(AuditFileSinkBenchmark benchmark) throws IOException {
      TenantId tenant = TenantId.random();
      events = new AuditEvent[EVENTS];
      Instant now = Instant.now();
      for (int i = 0; i < EVENTS; i++) {
        events[i] = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated").tenant(tenant)
            .timestamp(now.plusNanos(i * 1_000L)).actor(AuditActorType.USER, "agent-" + (i % 97) + "@acme.example")
            .resource("lead/" + (100_000 + i)).traceId("4bf92f3577b34da6a3ce929d0e0e" + (4736 + i))
            .sourceAddress("203.0.113." + (i % 250)).detail("field", "price").detail("from", "1200")
            .detail("to", "1350").build();
      }
      // The baseline's bytes: this chain's first EVENTS records, sealed and encoded once, in batches.
      encodedBatches = new byte[EVENTS / BATCH][];
      String hash = AuditRecord.GENESIS;
      sealed = new ArrayList<>(EVENTS);
      for (int b = 0; b < encodedBatches.length; b++) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
          AuditRecord record = AuditRecord.seal(events[b * BATCH + i], b * BATCH + i + 1L, hash, KEY);
          lines.append(AuditRecordCodec.toJson(record)).append('\n');
          hash = record.hash();
          sealed.add(record);
        }
        encodedBatches[b] = lines.toString().getBytes(StandardCharsets.UTF_8);
      }
      sequence = 0;
      previousHash = AuditRecord.GENESIS;
      nextBatch = 0;
      Path baselineDirectory = benchmark.root.resolve("baseline");
      Files.createDirectories(baselineDirectory);
      baseline = FileChannel.open(baselineDirectory.resolve(tenant + ".jsonl"), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      baselinePosition = 0;
    }

    @TearDown(Level.Iteration)
    public void stop() throws IOException {
      baseline.close();
    }
  }

  /** Seal {@value #BATCH} events into the chain and append them durably; reported per record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long sealEncodeAppend(Chain chain) {
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    String hash = chain.previousHash;
    long sequence = chain.sequence;
    for (int i = 0; i < BATCH; i++) {
      sequence++;
      AuditRecord record = AuditRecord.seal(chain.events[(int) (sequence % EVENTS)], sequence, hash, KEY);
      batch.add(record);
      hash = record.hash();
    }
    sink.append(batch);
    chain.previousHash = hash;
    chain.sequence = sequence;
    return sequence;
  }

  /** Breakdown: only the sealing of {@value #BATCH} events (canonical JSON, SHA-256, HMAC); reported per record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public String sealOnly(Chain chain) {
    String hash = chain.previousHash;
    long sequence = chain.sequence;
    for (int i = 0; i < BATCH; i++) {
      sequence++;
      hash = AuditRecord.seal(chain.events[(int) (sequence % EVENTS)], sequence, hash, KEY).hash();
    }
    chain.previousHash = hash;
    chain.sequence = sequence;
    return hash;
  }

  /** Breakdown: only the encoding of {@value #BATCH} sealed records into their lines; reported per record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int encodeOnly(Chain chain) {
    int length = 0;
    List<AuditRecord> records = chain.sealed;
    for (int i = 0; i < BATCH; i++) {
      length += AuditRecordCodec.toJson(records.get(i)).length();
    }
    return length;
  }

  /** The same bytes, pre-encoded, written and forced with the same batching; reported per record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long writeSameBytes(Chain chain) {
    byte[] lines = chain.encodedBatches[chain.nextBatch++ % chain.encodedBatches.length];
    try {
      ByteBuffer buffer = ByteBuffer.wrap(lines);
      while (buffer.hasRemaining()) {
        chain.baselinePosition += chain.baseline.write(buffer, chain.baselinePosition);
      }
      if (fsync) {
        chain.baseline.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return chain.baselinePosition;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
