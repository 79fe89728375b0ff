package dev.tenancy.core.memory;

import com.github.benmanes.caffeine.cache.Expiry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@link InMemoryQuotaStore} keeps under a key; each entry knows the instant (epoch nanoseconds on the store's
 * clock) it stops mattering.
 *
 * <p>Counters and buckets are stepped in place with a compare-and-set on one {@code long}; when the store's map lets
 * go of one (replaced, removed, evicted) it is {@link #retire() retired} in the same atomic step, which sets that
 * {@code long} to {@link #RETIRED} so that every later compare-and-set on it fails.
 */
sealed interface QuotaEntry permits QuotaEntry.Counter, QuotaEntry.Bucket, QuotaEntry.Leases {

  /** The state of an entry the map no longer holds; never a count nor a reading of the clock. */
  long RETIRED = Long.MIN_VALUE;

  /** How often an entry in use has a read recorded for the cache's size-eviction policy. */
  long READ_RECORD_INTERVAL_NANOS = 1_000_000_000L;

  /**
   * Whether a read is due since the last one recorded; a time before it (the clock was set back) counts as due.
   *
   * @param now the store's recent time
   * @param recordedAt when the last read was recorded
   * @return whether to record one now
   */
  static boolean due(long now, long recordedAt) {
    long since = now - recordedAt;
    return since < 0 || since >= READ_RECORD_INTERVAL_NANOS;
  }

  /** @return when the entry stops mattering, in epoch nanoseconds */
  long expiresAtNanos();

  /** Marks the entry as no longer in the map, so that no compare-and-set on it succeeds any more. */
  void retire();

  /**
   * Tells whether the cache's size-eviction policy should be told of a read now, and if so notes that it was.
   *
   * @param now the store's recent time
   * @return {@code true} at most about once per {@link #READ_RECORD_INTERVAL_NANOS} per entry
   */
  boolean readRecordDue(long now);

  /** A counter, stepped in place until its expiry; its value is {@link #RETIRED} once it left the map. */
  final class Counter implements QuotaEntry {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long expiresAtNanos;
    private volatile long value;
    /** Written without synchronisation: a lost or doubled update only records one read more or less. */
    private long readRecordedAt = Long.MIN_VALUE;

    Counter(long value, long expiresAtNanos) {
      this.value = value;
      this.expiresAtNanos = expiresAtNanos;
    }

    long value() {
      return value;
    }

    boolean compareAndSet(long expected, long next) {
      return VALUE.compareAndSet(this, expected, next);
    }

    @Override
    public long expiresAtNanos() {
      return expiresAtNanos;
    }

    @Override
    public void retire() {
      value = RETIRED;
    }

    @Override
    public boolean readRecordDue(long now) {
      if (!due(now, readRecordedAt)) {
        return false;
      }
      readRecordedAt = now;
      return true;
    }
  }

  /**
   * A GCRA bucket: empty of debt, i.e. full again, once its theoretical arrival time (TAT) has passed. Steps move the
   * TAT in place up to the horizon, the expiry the cache was told when the bucket was created; the TAT is
   * {@link #RETIRED} once the bucket left the map.
   */
  final class Bucket implements QuotaEntry {
    private static final VarHandle TAT;

    static {
      try {
        TAT = MethodHandles.lookup().findVarHandle(Bucket.class, "tat", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long horizonNanos;
    private volatile long tat;
    /** Written without synchronisation: a lost or doubled update only records one read more or less. */
    private long readRecordedAt = Long.MIN_VALUE;

    Bucket(long tat, long horizonNanos) {
      this.tat = tat;
      this.horizonNanos = horizonNanos;
    }

    long tat() {
      return tat;
    }

    boolean compareAndSet(long expected, long next) {
      return TAT.compareAndSet(this, expected, next);
    }

    @Override
    public long expiresAtNanos() {
      return horizonNanos;
    }

    @Override
    public void retire() {
      tat = RETIRED;
    }

    @Override
    public boolean readRecordDue(long now) {
      if (!due(now, readRecordedAt)) {
        return false;
      }
      readRecordedAt = now;
      return true;
    }
  }

  /**
   * Holders and the instant (epoch nanoseconds) each lease ends; never mutated once built.
   *
   * @param holders each holder's lease end
   */
  record Leases(Map<String, Long> holders) implements QuotaEntry {

    @Override
    public long expiresAtNanos() {
      long last = Long.MIN_VALUE;
      for (long end : holders.values()) {
        last = Math.max(last, end);
      }
      return last;
    }

    @Override
    public void retire() {
      // Immutable: every change builds a new set under the key's lock, so there is nothing to fence off.
    }

    @Override
    public boolean readRecordDue(long now) {
      // Every change to a lease set is a write, which the policy sees anyway.
      return false;
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
  final class PerEntryExpiry implements Expiry<String, QuotaEntry> {
    @Override
    public long expireAfterCreate(String key, QuotaEntry value, long currentTime) {
      return Math.max(0, value.expiresAtNanos() - currentTime);
    }

    @Override
    public long expireAfterUpdate(String key, QuotaEntry value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, QuotaEntry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
