package dev.tenancy.core.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tenancy.core.spi.QuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link QuotaStore} in this JVM's memory: exact for one application instance, shared with no other.
 *
 * <p>Every operation is one {@link ConcurrentMap#compute} on its key, so operations on one key are serialised while
 * different keys never wait for each other (there is no global lock). Entries live in a Caffeine cache whose expiry is
 * the entry's own: a counter's {@code expiresAt}, a bucket's theoretical arrival time (the moment it is full again),
 * a lease set's last lease. Expired entries count as absent at once and are removed as the cache is used.
 *
 * <p>The size bound ({@link Builder#maximumSize}, default 1,000,000 entries, roughly 150 MB) is a safety net against
 * unbounded key growth, not a working limit: an entry evicted for size is forgotten, which a counter experiences as a
 * reset. Size it above the number of tenants times the keys each uses (three to six).
 *
 * <pre>{@code
 * QuotaStore store = InMemoryQuotaStore.builder().clock(Clock.systemUTC()).build();
 * }</pre>
 */
public final class InMemoryQuotaStore implements QuotaStore {

  private final Clock clock;
  private final ConcurrentMap<String, Entry> entries;

  /** Creates a store on the system clock with the default size bound. */
  public InMemoryQuotaStore() {
    this(builder());
  }

  private InMemoryQuotaStore(Builder builder) {
    this.clock = builder.clock;
    Cache<String, Entry> cache = Caffeine.newBuilder()
        .maximumSize(builder.maximumSize)
        .expireAfter(new EntryExpiry())
        .ticker(() -> nanos(clock.instant()))
        .build();
    this.entries = cache.asMap();
  }

  /** @return a builder; every option has a default */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (amount < 1) {
      throw new IllegalArgumentException("amount must be at least 1, was " + amount);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    CounterUpdate[] result = new CounterUpdate[1];
    entries.compute(key, (k, old) -> {
      Counter counter = old instanceof Counter c ? c : null;
      long value = counter == null ? 0 : counter.value();
      if (amount > limit - value) {
        result[0] = new CounterUpdate(false, value);
        return counter;
      }
      result[0] = new CounterUpdate(true, value + amount);
      return new Counter(value + amount, counter == null ? nanos(expiresAt) : counter.expiresAtNanos());
    });
    return result[0];
  }

  @Override
  public long subtract(String key, long amount) {
    Objects.requireNonNull(key, "key");
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
    long[] result = new long[1];
    entries.computeIfPresent(key, (k, old) -> {
      if (!(old instanceof Counter counter)) {
        return old;
      }
      long value = Math.max(0, counter.value() - amount);
      result[0] = value;
      // A counter back at zero is the same as no counter: free its memory now rather than at its expiry.
      return value == 0 ? null : new Counter(value, counter.expiresAtNanos());
    });
    return result[0];
  }

  @Override
  public long current(String key) {
    Objects.requireNonNull(key, "key");
    return entries.get(key) instanceof Counter counter ? counter.value() : 0;
  }

  @Override
  public RateDecision acquire(String key, Duration emissionInterval, Duration burstTolerance, int permits) {
    Objects.requireNonNull(key, "key");
    long interval = positiveNanos(emissionInterval, "emissionInterval");
    long tolerance = Objects.requireNonNull(burstTolerance, "burstTolerance").toNanos();
    if (tolerance < 0) {
      throw new IllegalArgumentException("burstTolerance must not be negative, was " + burstTolerance);
    }
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    RateDecision[] result = new RateDecision[1];
    entries.compute(key, (k, old) -> {
      long now = nanos(clock.instant());
      Bucket bucket = old instanceof Bucket b ? b : null;
      // How far the theoretical arrival time runs ahead of now; an idle bucket (TAT in the past) is simply full.
      long ahead = bucket == null ? 0 : Math.max(0, bucket.tatNanos() - now);
      long extra = saturatedMultiply(permits - 1L, interval);
      if (saturatedAdd(ahead, extra) > tolerance) {
        long retry = saturatedAdd(ahead, extra) - tolerance;
        result[0] = new RateDecision(false, Duration.ofNanos(retry), Duration.ofNanos(ahead));
        return bucket;
      }
      long newAhead = saturatedAdd(ahead, saturatedMultiply(permits, interval));
      result[0] = new RateDecision(true, Duration.ZERO, Duration.ofNanos(newAhead));
      return new Bucket(saturatedAdd(now, newAhead));
    });
    return result[0];
  }

  @Override
  public boolean acquireLease(String key, String holder, long limit, Duration timeToLive) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    long ttl = positiveNanos(timeToLive, "timeToLive");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    boolean[] result = new boolean[1];
    entries.compute(key, (k, old) -> {
      long now = nanos(clock.instant());
      Map<String, Long> live = old instanceof Leases leases ? leases.live(now) : new HashMap<>();
      if (live.containsKey(holder) || live.size() < limit) {
        live.put(holder, saturatedAdd(now, ttl));
        result[0] = true;
      }
      return live.isEmpty() ? null : new Leases(live);
    });
    return result[0];
  }

  @Override
  public void releaseLease(String key, String holder) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    entries.computeIfPresent(key, (k, old) -> {
      if (!(old instanceof Leases leases)) {
        return old;
      }
      Map<String, Long> live = leases.live(nanos(clock.instant()));
      live.remove(holder);
      return live.isEmpty() ? null : new Leases(live);
    });
  }

  @Override
  public long activeLeases(String key) {
    Objects.requireNonNull(key, "key");
    return entries.get(key) instanceof Leases leases ? leases.live(nanos(clock.instant())).size() : 0;
  }

  @Override
  public String toString() {
    return "InMemoryQuotaStore[entries=" + entries.size() + "]";
  }

  private static long positiveNanos(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
    return duration.toNanos();
  }

  /** Nanoseconds since the epoch: fits a {@code long} until the year 2262. */
  private static long nanos(Instant instant) {
    return saturatedAdd(saturatedMultiply(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow only when both have the same sign and the sum's sign differs.
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) || (high == -1 && low < 0) ? low : ((a ^ b) < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }

  /** What the store keeps under a key; each knows the instant (epoch nanoseconds) it stops mattering. */
  private sealed interface Entry permits Counter, Bucket, Leases {
    long expiresAtNanos();
  }

  private record Counter(long value, long expiresAtNanos) implements Entry {
  }

  /** A GCRA bucket: empty of debt, i.e. full again, once its theoretical arrival time has passed. */
  private record Bucket(long tatNanos) implements Entry {
    @Override
    public long expiresAtNanos() {
      return tatNanos;
    }
  }

  /** Holders and the instant (epoch nanoseconds) each lease ends; never mutated once built. */
  private record Leases(Map<String, Long> holders) implements Entry {
    @Override
    public long expiresAtNanos() {
      long last = Long.MIN_VALUE;
      for (long end : holders.values()) {
        last = Math.max(last, end);
      }
      return last;
    }

    /** @return a fresh, mutable copy holding only the leases still live at {@code now} */
    Map<String, Long> live(long now) {
      Map<String, Long> live = new HashMap<>(holders.size() + 1);
      holders.forEach((holder, end) -> {
        if (end > now) {
          live.put(holder, end);
        }
      });
      return live;
    }
  }

  /** Each entry expires at its own instant, whatever happened to it before. */
  private static final class EntryExpiry implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry value, long currentTime) {
      return Math.max(0, value.expiresAtNanos() - currentTime);
    }

    @Override
    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Configures an {@link InMemoryQuotaStore}. */
  public static final class Builder {

    private Clock clock = Clock.systemUTC();
    private long maximumSize = 1_000_000;

    private Builder() {
    }

    /**
     * The clock for rate-limit arrival times, lease lifetimes and expiry; injectable so that tests can travel in time.
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The most entries (counters, buckets, lease sets) kept before the least used are evicted.
     *
     * @param maximumSize positive; default 1,000,000
     * @return this builder
     */
    public Builder maximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Checks the options and creates the store.
     *
     * @return a new, empty store
     * @throws IllegalArgumentException if the size bound is not positive
     */
    public InMemoryQuotaStore build() {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive, was " + maximumSize);
      }
      return new InMemoryQuotaStore(this);
    }
  }
}
