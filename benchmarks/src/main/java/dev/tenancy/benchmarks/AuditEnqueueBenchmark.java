package dev.tenancy.benchmarks;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@link AuditLog#record} costs the calling thread (target: p99 at most 20 µs), next to its baseline in the same
 * run: putting the same event into a bare {@link ArrayBlockingQueue} of the same capacity that a consumer thread drains
 * in batches of the same size, without sealing anything.
 *
 * <p>Mode <em>sample time</em>, so JMH reports percentiles (p50, p90, p99, p99.9) of single calls.
 *
 * <ul>
 *   <li>{@code work}: CPU work (JMH {@code consumeCPU} tokens) the caller does between two events, as a request does.
 *       With {@code work=0} the caller records as fast as it can, outruns the writer (which hashes, MACs and encodes
 *       every event), fills the queue, and then waits for room: that row measures back-pressure, i.e. the writer's
 *       cost per event. With enough work the writer keeps up, and the row is the enqueue cost itself.
 *       {@code workOnly} is the work alone, to subtract.
 *   <li>Events rotate over 8 tenants; chains are keyed (HMAC) and checkpointed every second, as in production.
 * </ul>
 *
 * <p>The sink is in memory and keeps only each chain's last record: {@code InMemoryAuditSink} keeps every record (a
 * benchmark writes millions: gigabytes) and scans a chain to find its last one, which would measure that sink's
 * growth rather than the log.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AuditEnqueueBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AuditEnqueueBenchmark {

  private static final int TENANTS = 8;

  /** CPU work between two events, in JMH {@code consumeCPU} tokens. */
  @Param({"0", "2000", "8000"})
  public int work;

  private final List<AuditEvent> events = new ArrayList<>();
  private AuditLog log;
  private ArrayBlockingQueue<Object> baseline;
  private Thread consumer;
  private volatile boolean running;

  /** Creates the benchmark; JMH instantiates it. */
  public AuditEnqueueBenchmark() {
  }

  /** Builds the log and the baseline queue with its consumer. */
  @Setup(Level.Trial)
  public void start() {
    for (int i = 0; i < TENANTS; i++) {
      events.add(AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.viewed")
          .tenant(TenantId.random())
          .actor(AuditActorType.USER, "user-" + i + "@example.com")
          .resource("lead/" + (4711 + i))
          .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
          .sourceAddress("203.0.113." + i)
          .detail("fields", "name,email,phone")
          .build());
    }
    log = AuditLog.builder()
        .sink(new HeadOnlyAuditSink())
        .key(AuditKey.of("benchmark-audit-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
        .checkpoints(new InMemoryAuditCheckpointStore())
        .checkpointInterval(java.time.Duration.ofSeconds(1))
        .build();
    baseline = new ArrayBlockingQueue<>(AuditLog.DEFAULT_QUEUE_CAPACITY);
    running = true;
    consumer = new Thread(() -> {
      // Drains without waiting on the queue's condition: a consumer parked there would make every put pay a
      // wake-up (a system call), which measures the scheduler rather than the queue.
      List<Object> batch = new ArrayList<>(AuditLog.DEFAULT_BATCH_SIZE);
      while (running) {
        if (baseline.drainTo(batch, AuditLog.DEFAULT_BATCH_SIZE) == 0) {
          LockSupport.parkNanos(50_000);
        }
        batch.clear();
      }
    }, "baseline-consumer");
    consumer.setDaemon(true);
    consumer.start();
  }

  /** Stores what is left and stops both consumers. */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    log.close();
    running = false;
    consumer.join();
  }

  /** Which event a benchmark thread records next. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Creates the state; JMH instantiates it. */
    public Cursor() {
    }
  }

  /**
   * The baseline: the same event offered to a bounded queue that a thread drains in batches.
   *
   * @param cursor which event
   * @throws InterruptedException never in practice
   */
  @Benchmark
  public void baselineQueuePut(Cursor cursor) throws InterruptedException {
    Blackhole.consumeCPU(work);
    baseline.put(events.get(cursor.next++ & (TENANTS - 1)));
  }

  /**
   * What the caller pays for {@link AuditLog#record}.
   *
   * @param cursor which event
   */
  @Benchmark
  public void record(Cursor cursor) {
    Blackhole.consumeCPU(work);
    log.record(events.get(cursor.next++ & (TENANTS - 1)));
  }

  /** The work alone, to subtract from the two above. */
  @Benchmark
  public void workOnly() {
    Blackhole.consumeCPU(work);
  }

  /** A sink in memory that keeps only each chain's last record, and refuses a taken position like every sink. */
  static final class HeadOnlyAuditSink implements AuditSink {
    private final Map<String, AuditRecord> heads = new ConcurrentHashMap<>();
    private final AtomicLong appended = new AtomicLong();

    @Override
    public synchronized void append(List<AuditRecord> records) {
      Map<String, Long> next = new java.util.HashMap<>();
      for (AuditRecord record : records) {
        long expected = next.computeIfAbsent(record.chain(),
            chain -> last(chain).map(AuditRecord::sequence).orElse(0L)) + 1;
        if (record.sequence() != expected) {
          throw new AuditChainConflictException(record.chain(), record.sequence());
        }
        next.put(record.chain(), expected);
      }
      records.forEach(record -> heads.put(record.chain(), record));
      appended.addAndGet(records.size());
    }

    @Override
    public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
      return last(chain).stream()
          .filter(record -> record.sequence() >= fromSequence && record.sequence() <= toSequence);
    }

    @Override
    public Optional<AuditRecord> last(String chain) {
      return Optional.ofNullable(heads.get(chain));
    }

    @Override
    public Set<String> chains() {
      return Set.copyOf(heads.keySet());
    }

    @Override
    public long deleteBefore(String chain, long beforeSequence) {
      return 0;
    }

    @Override
    public long erase(String chain) {
      return heads.remove(chain) == null ? 0 : 1;
    }
  }
}
