package dev.tenancy.benchmarks;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.QuotaStore.Admission;
import dev.tenancy.redis.RedisQuotaStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a quota check costs against a shared Redis (TENANCY_TEST_REDIS_URL, default {@code redis://127.0.0.1:6379}),
 * next to its baseline in the same process: a raw Lettuce {@code PING} on its own connection, the cheapest round trip
 * there is.
 *
 * <ul>
 *   <li>{@code check} / {@code ping}: one blocking call at a time, so the time per operation is the round-trip
 *       latency; run with {@code -t 1} for latency and with many threads ({@code -t 32}) for blocking throughput.
 *   <li>{@code admitAsync} / {@code pingAsync}: {@value #WINDOW} calls in flight at once on the one pipelined
 *       connection, as a non-blocking server would issue them; the throughput is checks per second from one app
 *       instance.
 * </ul>
 *
 * <p>Every check is rate limit plus monthly quota (limits high enough never to refuse). The commands sent per check
 * are counted on the client and printed at the end of each trial; it must be 1.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisQuotaBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -t 1
 * java -jar benchmarks/target/benchmarks.jar 'RedisQuotaBenchmark.(check|ping)$' -t 32 -bm thrpt -tu s
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RedisQuotaBenchmark {

  static final int WINDOW = 256;

  private static final Duration INTERVAL = Duration.ofNanos(1_000);
  private static final Duration TOLERANCE = INTERVAL.multipliedBy(1_000_000);

  private final AtomicLong commandsSent = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private RedisClient storeClient;
  private RedisClient baselineClient;
  private StatefulRedisConnection<String, String> baseline;
  private RedisQuotaStore store;
  private QuotaManager quotas;
  private TenantInfo tenant;
  private String bucketKey;
  private String counterKey;
  private Instant counterExpiry;

  @Setup(Level.Trial)
  public void connect() {
    String url = System.getenv().getOrDefault("TENANCY_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    storeClient = RedisClient.create(RedisURI.create(url));
    storeClient.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    storeClient.addListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        commandsSent.incrementAndGet();
      }
    });
    String prefix = "tenancy-bench:" + System.nanoTime() + ":";
    store = RedisQuotaStore.builder().client(storeClient).keyPrefix(prefix).build();
    quotas = QuotaManager.builder().store(store).build();
    TenantId id = TenantId.random();
    tenant = new TenantInfo(id, TenantSlug.of("acme"), TenantStatus.ACTIVE, new EffectiveConfiguration("bench",
        Map.of(), Map.of(StandardLimit.REQUESTS_PER_SECOND.key(), 1_000_000L,
            StandardLimit.API_CALLS_PER_MONTH.key(), Long.MAX_VALUE / 2), null, Map.of()));
    bucketKey = "{" + id + "}:rate";
    counterKey = "{" + id + "}:apiCalls:async";
    counterExpiry = Instant.now().plus(Duration.ofHours(1));
    baselineClient = RedisClient.create(RedisURI.create(url));
    baseline = baselineClient.connect();
    quotas.check(tenant).permit().close(); // connects and loads the scripts
    commandsSent.set(0);
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    long sent = commandsSent.get();
    long done = checks.get();
    System.out.printf("%nRedis commands sent per check: %.3f (%d commands, %d checks)%n",
        done == 0 ? 0.0 : (double) sent / done, sent, done);
    quotas.close();
    store.close();
    storeClient.shutdown();
    baseline.close();
    baselineClient.shutdown();
  }

  /** One full {@link QuotaManager#check}: bulkhead, rate limit and monthly quota; one round trip. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean check() {
    QuotaDecision decision = quotas.check(tenant);
    decision.permit().close();
    checks.incrementAndGet();
    return decision.isAllowed();
  }

  /** The floor: one round trip to the same Redis with the same client library. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String ping() {
    return baseline.sync().ping();
  }

  /** {@value #WINDOW} rate-and-quota decisions in flight on one connection; reported per decision. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(WINDOW)
  public int admitAsync() {
    @SuppressWarnings("unchecked")
    CompletableFuture<Admission>[] inFlight = new CompletableFuture[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      inFlight[i] = store.admitAsync(bucketKey, INTERVAL, TOLERANCE, counterKey, Long.MAX_VALUE / 2, counterExpiry)
          .toCompletableFuture();
    }
    int allowed = 0;
    for (CompletableFuture<Admission> admission : inFlight) {
      if (admission.join().allowed()) {
        allowed++;
      }
    }
    checks.addAndGet(WINDOW);
    return allowed;
  }

  /** The floor for {@link #admitAsync}: {@value #WINDOW} pipelined PINGs on one connection; reported per PING. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(WINDOW)
  public int pingAsync() {
    @SuppressWarnings("unchecked")
    CompletableFuture<String>[] inFlight = new CompletableFuture[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      inFlight[i] = baseline.async().ping().toCompletableFuture();
    }
    int answered = 0;
    for (CompletableFuture<String> pong : inFlight) {
      answered += pong.join().length();
    }
    return answered;
  }
}
