package dev.tenancy.benchmarks;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What an in-memory quota check costs, with Bucket4j, the reference rate limiter on the JVM, measured side by side in
 * the same run on the same keys and parameters.
 *
 * <ul>
 *   <li>{@link #bucket4j}: a Bucket4j bucket per tenant, looked up by the tenant's key in a {@link ConcurrentHashMap}
 *       and asked to {@code tryConsume(1)} — what an application that rate-limits tenants with Bucket4j does, with
 *       Bucket4j's defaults (lock-free buckets, the millisecond system clock);
 *   <li>{@link #tenancyStore}: {@link InMemoryQuotaStore#acquire} on the same key with the same GCRA parameters — the
 *       apples-to-apples peer;
 *   <li>{@link #tenancyCheck} and {@link #tenancyCheckWithMonthly}: the whole {@link QuotaManager#check} (rate limit,
 *       and API calls counted per month for metering even without a quota) and closing the permit — what a request
 *       pays;
 *   <li>breakdown: {@link #tenancyCounter}, the monthly counter step a check adds to the rate-limit step; and
 *       {@link #clockInstant}, {@link #currentTimeMillis}, {@link #nanoTime}, the clock readings inside all of the
 *       above, alone, because they are a large share of every one of them.
 * </ul>
 *
 * <p>Both limiters are configured alike: a burst (capacity) of twice the rate, refilled at the rate per second, which
 * is what {@code requestsPerSecond} means to {@link QuotaManager}. {@code mode=admit} uses a rate (10⁸/s) that no
 * thread here can exhaust, so both sides take their admit path on every call; {@code mode=refuse} uses a bucket of two
 * refilled once a day and emptied in setup, so both refuse every call. Each thread counts the answers that did not
 * match the mode and fails the iteration if there is one, so a run can never silently measure the other path.
 *
 * <p>{@code tenants=1} is one hot tenant (with two threads both hit the same bucket: the contended case);
 * {@code tenants=1000} has each thread walk 1,000 tenants from its own starting point. Run it with {@code -t 1} and
 * {@code -t 2}.
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QuotaCheckBenchmark {

  /** The rate of {@code mode=admit}: far above what the benchmark threads can ask for, so nothing is refused. */
  static final long ADMIT_RATE_PER_SECOND = 100_000_000L;
  /** The emission interval of {@code mode=refuse}: one permit a day, with a burst of two. */
  static final Duration REFUSE_INTERVAL = Duration.ofDays(1);

  private static final Clock SYSTEM_UTC = Clock.systemUTC();

  /** Creates the benchmark; JMH instantiates it. */
  public QuotaCheckBenchmark() {
  }

  /** Tenant ids and the rate-limit keys {@link QuotaManager} gives them, shared by both limiters. */
  @State(Scope.Benchmark)
  public static class Tenants {

    /** How many tenants the threads walk. */
    @Param({"1", "1000"})
    public int tenants;

    TenantId[] ids = new TenantId[0];
    String[] keys = new String[0];
    String[] counterKeys = new String[0];

    /** Creates the state; JMH instantiates it. */
    public Tenants() {
    }

    /** Creates the tenants and their rate-limit and API-call keys, as {@code QuotaKeys} spells them. */
    @Setup(Level.Trial)
    public void create() {
      ids = new TenantId[tenants];
      keys = new String[tenants];
      counterKeys = new String[tenants];
      for (int i = 0; i < tenants; i++) {
        ids[i] = TenantId.random();
        keys[i] = "tenancy:quota:{" + ids[i] + "}:rate";
        counterKeys[i] = "tenancy:quota:{" + ids[i] + "}:apiCalls:2026-11";
      }
    }
  }

  /** One Bucket4j bucket and one {@link InMemoryQuotaStore} bucket per tenant, configured alike. */
  @State(Scope.Benchmark)
  public static class Limiters {

    /** {@code admit}: every call passes; {@code refuse}: every call is refused. */
    @Param({"admit", "refuse"})
    public String mode;

    final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    InMemoryQuotaStore store = new InMemoryQuotaStore();
    boolean admit;
    long capacity;
    Duration refillPeriod = Duration.ofSeconds(1);
    long refillTokens;
    Duration interval = Duration.ofNanos(1);
    Duration tolerance = Duration.ZERO;
    long counterLimit;
    final Instant counterExpiry = Instant.now().plus(Duration.ofDays(30));

    /** Creates the state; JMH instantiates it. */
    public Limiters() {
    }

    /** Derives both limiters' parameters from the mode and, for {@code refuse}, empties every tenant's buckets. */
    @Setup(Level.Trial)
    public void create(Tenants tenants) {
      admit = switch (mode) {
        case "admit" -> true;
        case "refuse" -> false;
        default -> throw new IllegalArgumentException("mode must be admit or refuse, was " + mode);
      };
      if (admit) {
        // As RateLimit.of(rate) derives them: burst 2 × rate, one permit every 1/rate s, GCRA tolerance (burst-1) × T.
        long intervalNanos = 1_000_000_000L / ADMIT_RATE_PER_SECOND;
        capacity = 2 * ADMIT_RATE_PER_SECOND;
        refillTokens = ADMIT_RATE_PER_SECOND;
        refillPeriod = Duration.ofSeconds(1);
        interval = Duration.ofNanos(intervalNanos);
        tolerance = Duration.ofNanos((capacity - 1) * intervalNanos);
      } else {
        capacity = 2;
        refillTokens = 1;
        refillPeriod = REFUSE_INTERVAL;
        interval = REFUSE_INTERVAL;
        tolerance = REFUSE_INTERVAL;
      }
      store = new InMemoryQuotaStore();
      buckets.clear();
      // admit: a monthly quota never reached; refuse: a counter at its limit of one.
      counterLimit = admit ? Long.MAX_VALUE : 1;
      for (String key : tenants.counterKeys) {
        store.addIfWithin(key, 1, counterLimit, counterExpiry);
      }
      for (String key : tenants.keys) {
        Bucket bucket = bucket(key);
        if (!admit) {
          bucket.tryConsumeAsMuchAsPossible();
          while (store.acquire(key, interval, tolerance, 1).allowed()) {
            // Empties the GCRA bucket: two permits pass, then none until tomorrow.
          }
        }
      }
    }

    /** Gets or creates a tenant's Bucket4j bucket, as an application keeping one bucket per tenant would. */
    Bucket bucket(String key) {
      return buckets.computeIfAbsent(key, k -> Bucket.builder()
          .addLimit(limit -> limit.capacity(capacity).refillGreedy(refillTokens, refillPeriod))
          .build());
    }
  }

  /** A quota manager enforcing only a per-second rate, and one that also enforces a (never reached) monthly quota. */
  @State(Scope.Benchmark)
  public static class Managers {

    QuotaManager rateOnly = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
    QuotaManager withMonthly = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
    TenantInfo[] rateTenants = new TenantInfo[0];
    TenantInfo[] monthlyTenants = new TenantInfo[0];

    /** Creates the state; JMH instantiates it. */
    public Managers() {
    }

    /** Builds the managers and gives every tenant its limits. */
    @Setup(Level.Trial)
    public void create(Tenants tenants) {
      rateOnly = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
      withMonthly = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
      rateTenants = new TenantInfo[tenants.tenants];
      monthlyTenants = new TenantInfo[tenants.tenants];
      for (int i = 0; i < tenants.tenants; i++) {
        TenantId id = tenants.ids[i];
        rateTenants[i] = tenant(id, i, Map.of(
            StandardLimit.REQUESTS_PER_SECOND.key(), ADMIT_RATE_PER_SECOND));
        monthlyTenants[i] = tenant(id, i, Map.of(
            StandardLimit.REQUESTS_PER_SECOND.key(), ADMIT_RATE_PER_SECOND,
            StandardLimit.API_CALLS_PER_MONTH.key(), Long.MAX_VALUE / 2));
      }
    }

    /** Closes the managers (no usage store: nothing to save). */
    @TearDown(Level.Trial)
    public void close() {
      rateOnly.close();
      withMonthly.close();
    }

    private static TenantInfo tenant(TenantId id, int index, Map<String, Long> limits) {
      return new TenantInfo(id, TenantSlug.of("tenant-" + index), TenantStatus.ACTIVE,
          new EffectiveConfiguration("bench", Map.of(), limits, null, Map.of()));
    }
  }

  /**
   * A benchmark thread's walk over the tenants, starting at its own share of them, and the answers it got that did not
   * match the mode.
   */
  @State(Scope.Thread)
  public static class Walk {

    int next;
    int size;
    long unexpected;
    @Nullable String firstUnexpected;

    /** Creates the state; JMH instantiates it. */
    public Walk() {
    }

    /** Starts each thread at a different tenant, so that threads do not walk in lock step. */
    @Setup(Level.Trial)
    public void start(Tenants tenants, ThreadParams thread) {
      size = tenants.tenants;
      next = (int) ((long) thread.getThreadIndex() * size / thread.getThreadCount());
    }

    /** Fails the run if a call was answered against the mode: then the wrong path was measured. */
    @TearDown(Level.Iteration)
    public void check() {
      if (unexpected > 0) {
        throw new IllegalStateException(unexpected + " answers did not match the mode, the first: " + firstUnexpected);
      }
    }

    int advance() {
      int index = next;
      next = index + 1 == size ? 0 : index + 1;
      return index;
    }

    /** Counts an answer against the mode; renders it only then, so that the check costs a branch per call. */
    void expect(boolean expected, boolean actual, Object answer) {
      if (expected != actual) {
        unexpected++;
        if (firstUnexpected == null) {
          firstUnexpected = (actual ? "allowed: " : "refused: ") + answer;
        }
      }
    }
  }

  /**
   * Bucket4j: the tenant's bucket from a {@link ConcurrentHashMap}, then {@code tryConsume(1)}.
   *
   * @param tenants the tenants
   * @param limiters the buckets
   * @param walk this thread's walk
   * @return whether the call passed
   */
  @Benchmark
  public boolean bucket4j(Tenants tenants, Limiters limiters, Walk walk) {
    String key = tenants.keys[walk.advance()];
    boolean allowed = limiters.bucket(key).tryConsume(1);
    walk.expect(limiters.admit, allowed, key);
    return allowed;
  }

  /**
   * Tenancy's store: {@link InMemoryQuotaStore#acquire} of one permit on the same key with the same parameters.
   *
   * @param tenants the tenants
   * @param limiters the store
   * @param walk this thread's walk
   * @return the store's decision
   */
  @Benchmark
  public RateDecision tenancyStore(Tenants tenants, Limiters limiters, Walk walk) {
    RateDecision decision = limiters.store.acquire(tenants.keys[walk.advance()], limiters.interval,
        limiters.tolerance, 1);
    walk.expect(limiters.admit, decision.allowed(), decision);
    return decision;
  }

  /**
   * Breakdown: {@link InMemoryQuotaStore#addIfWithin} of one on the tenant's monthly API-call counter, the other store
   * step of every {@link QuotaManager#check}.
   *
   * @param tenants the tenants
   * @param limiters the store
   * @param walk this thread's walk
   * @return the store's answer
   */
  @Benchmark
  public CounterUpdate tenancyCounter(Tenants tenants, Limiters limiters, Walk walk) {
    CounterUpdate update = limiters.store.addIfWithin(tenants.counterKeys[walk.advance()], 1, limiters.counterLimit,
        limiters.counterExpiry);
    walk.expect(limiters.admit, update.added(), update);
    return update;
  }

  /**
   * The whole decision for a tenant with only a rate limit: bulkhead (none configured), rate limit, API-call counter
   * for metering; then the permit is closed as a request's end would.
   *
   * @param managers the manager
   * @param walk this thread's walk
   * @return the decision
   */
  @Benchmark
  public QuotaDecision tenancyCheck(Managers managers, Walk walk) {
    QuotaDecision decision = managers.rateOnly.check(managers.rateTenants[walk.advance()]);
    walk.expect(true, decision.isAllowed(), decision);
    decision.permit().close();
    return decision;
  }

  /**
   * The whole decision for a tenant with a rate limit and a monthly API-call quota it never reaches; the permit is
   * closed.
   *
   * @param managers the manager
   * @param walk this thread's walk
   * @return the decision
   */
  @Benchmark
  public QuotaDecision tenancyCheckWithMonthly(Managers managers, Walk walk) {
    QuotaDecision decision = managers.withMonthly.check(managers.monthlyTenants[walk.advance()]);
    walk.expect(true, decision.isAllowed(), decision);
    decision.permit().close();
    return decision;
  }

  // ---------------------------------------------------------------- breakdown: the clock readings inside each step

  /**
   * Reading the system clock as an {@link Instant}, as {@link QuotaManager#check} does once per request (and a store
   * on any other {@link Clock} per step).
   *
   * @return the instant
   */
  @Benchmark
  public Instant clockInstant() {
    return SYSTEM_UTC.instant();
  }

  /**
   * Reading the system clock in milliseconds, as Bucket4j's default time meter does for every step.
   *
   * @return the milliseconds
   */
  @Benchmark
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  /**
   * Reading the monotonic clock, as {@link InMemoryQuotaStore} on the system clock does for every step (and Bucket4j's
   * nanosecond time meter).
   *
   * @return the nanoseconds
   */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
