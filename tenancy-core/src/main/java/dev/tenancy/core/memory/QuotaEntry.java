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
sealed interface QuotaEntry permits QuotaEntry.Stepped, QuotaEntry.Leases {

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

  /**
   * One {@code long} stepped in place with compare-and-set until the entry's expiry, and {@link #RETIRED} once it left
   * the map: what counters and buckets share.
   */
  abstract sealed class Stepped implements QuotaEntry permits Counter, Bucket {
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Stepped.class, "state", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final long expiresAtNanos;
    private volatile long state;
    /** Written without synchronisation: a lost or doubled update only records one read more or less. */
    private long readRecordedAt = Long.MIN_VALUE;

    Stepped(long state, long expiresAtNanos) {
      this.state = state;
      this.expiresAtNanos = expiresAtNanos;
    }

    final long state() {
      return state;
    }

    final boolean compareAndSet(long expected, long next) {
      return STATE.compareAndSet(this, expected, next);
    }

    @Override
    public final long expiresAtNanos() {
      return expiresAtNanos;
    }

    @Override
    public final void retire() {
      state = RETIRED;
    }

    @Override
    public final boolean readRecordDue(long now) {
      if (!due(now, readRecordedAt)) {
        return false;
      }
      readRecordedAt = now;
      return true;
    }
  }

  /** A counter: its state is the count, stepped in place until its expiry. */
  final class Counter extends Stepped {

    Counter(long value, long expiresAtNanos) {
      super(value, expiresAtNanos);
    }

    long value() {
      return state();
    }
  }

  /**
   * A GCRA bucket: empty of debt, i.e. full again, once its theoretical arrival time (TAT, its state) has passed.
   * Steps move the TAT in place up to the horizon: its {@link #expiresAtNanos()}, the expiry the cache was told when
   * the bucket was created.
   */
  final class Bucket extends Stepped {

    Bucket(long tat, long horizonNanos) {
      super(tat, horizonNanos);
    }

    long tat() {
      return state();
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
