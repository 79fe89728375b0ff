package dev.tenancy.servlet.metrics;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A fixed-size latency histogram over the two most recent time windows: log-linear buckets, four per power of two
 * from 1 µs to about 67 s (at most 12 % error at the bucket midpoint), so one tenant costs under 1 KiB whatever its
 * traffic. Recording is lock-free; the window rotates under a lock once per window.
 */
final class LatencyHistogram {

  static final int SUB_BUCKETS = 4;
  static final int MAX_EXPONENT = 26;
  static final int BUCKETS = (MAX_EXPONENT + 1) * SUB_BUCKETS;

  private final long windowNanos;
  private volatile AtomicIntegerArray current = new AtomicIntegerArray(BUCKETS);
  private volatile AtomicIntegerArray previous = new AtomicIntegerArray(BUCKETS);
  private volatile long epoch;

  LatencyHistogram(long windowNanos, long nowNanos) {
    this.windowNanos = windowNanos;
    this.epoch = Math.floorDiv(nowNanos, windowNanos);
  }

  void record(long latencyNanos, long nowNanos) {
    rotate(nowNanos);
    current.incrementAndGet(index(latencyNanos));
  }

  /**
   * @param quantile between 0 and 1
   * @param nowNanos the ticker's now
   * @return the latency in milliseconds at the quantile over the current and previous window; 0 when empty
   */
  double percentileMs(double quantile, long nowNanos) {
    rotate(nowNanos);
    AtomicIntegerArray now = current;
    AtomicIntegerArray before = previous;
    long total = 0;
    int[] merged = new int[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      merged[i] = now.get(i) + before.get(i);
      total += merged[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += merged[i];
      if (seen >= rank) {
        return midpointMicros(i) / 1000.0;
      }
    }
    return midpointMicros(BUCKETS - 1) / 1000.0;
  }

  /** @return the requests recorded in the current and previous window */
  long recentCount(long nowNanos) {
    rotate(nowNanos);
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += current.get(i) + previous.get(i);
    }
    return total;
  }

  private void rotate(long nowNanos) {
    long nowEpoch = Math.floorDiv(nowNanos, windowNanos);
    if (nowEpoch == epoch) {
      return;
    }
    synchronized (this) {
      long last = epoch;
      if (nowEpoch <= last) {
        return;
      }
      // After a quiet spell longer than a window, the old data is no longer recent: drop both windows.
      previous = nowEpoch == last + 1 ? current : new AtomicIntegerArray(BUCKETS);
      current = new AtomicIntegerArray(BUCKETS);
      epoch = nowEpoch;
    }
  }

  static int index(long latencyNanos) {
    long micros = Math.max(1, latencyNanos / 1000);
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = exponent >= 2 ? (int) ((micros >>> (exponent - 2)) & 3) : (int) ((micros << (2 - exponent)) & 3);
    return exponent * SUB_BUCKETS + sub;
  }

  /** The middle of a bucket in microseconds. */
  static double midpointMicros(int index) {
    int exponent = index / SUB_BUCKETS;
    int sub = index % SUB_BUCKETS;
    double base = Math.pow(2, exponent);
    double lower = base * (1 + sub / 4.0);
    double upper = base * (1 + (sub + 1) / 4.0);
    return (lower + upper) / 2;
  }
}
