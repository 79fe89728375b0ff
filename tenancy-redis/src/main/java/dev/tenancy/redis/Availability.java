package dev.tenancy.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is usable, with a back-off while it is not: after a failure only one call per retry interval goes to
 * Redis (the probe); every other call is answered by the failure policy at once instead of waiting for a timeout. The
 * listener hears each outage begin once and end once.
 */
final class Availability {

  private static final Logger LOG = LoggerFactory.getLogger(RedisQuotaStore.class);

  private final String target;
  private final long retryNanos;
  private final LongSupplier nanoClock;
  private final RedisAvailabilityListener listener;
  /** When the current outage began (nanoClock), or null while Redis is available. */
  private final AtomicReference<@Nullable Long> outageStart = new AtomicReference<>();
  private final AtomicLong nextProbe = new AtomicLong();

  Availability(String target, Duration retryInterval, LongSupplier nanoClock, RedisAvailabilityListener listener) {
    this.target = target;
    this.retryNanos = retryInterval.toNanos();
    this.nanoClock = nanoClock;
    this.listener = listener;
  }

  /** @return the time a call starts, to pass to {@link #succeeded} or {@link #failed} */
  long now() {
    return nanoClock.getAsLong();
  }

  /** @return whether Redis is currently considered available */
  boolean isAvailable() {
    return outageStart.get() == null;
  }

  /**
   * Decides whether a call starting now may go to Redis: always while it is available; during an outage only the one
   * call that claims the next probe slot.
   */
  boolean mayTry(long now) {
    if (outageStart.get() == null) {
      return true;
    }
    long next = nextProbe.get();
    return now - next >= 0 && nextProbe.compareAndSet(next, now + retryNanos);
  }

  /**
   * Records that a call which started at {@code startedAt} got an answer from Redis. Only a call that started during
   * the outage ends it, so a slow answer to a request sent before the outage cannot hide the outage.
   */
  void succeeded(long startedAt) {
    Long start = outageStart.get();
    if (start != null && startedAt - start >= 0 && outageStart.compareAndSet(start, null)) {
      Duration downtime = Duration.ofNanos(nanoClock.getAsLong() - start);
      LOG.info("Redis quota store at {} is available again after {}", target, downtime);
      try {
        listener.onRecovered(target, downtime);
      } catch (RuntimeException e) {
        LOG.warn("RedisAvailabilityListener.onRecovered threw; ignored", e);
      }
    }
  }

  /** Records that Redis failed (error, disconnect or timeout) and starts or extends the back-off. */
  void failed(Throwable cause) {
    long now = nanoClock.getAsLong();
    nextProbe.set(now + retryNanos);
    if (outageStart.compareAndSet(null, now)) {
      LOG.warn("Redis quota store at {} is unavailable ({}); answering by the failure policy and retrying every {} ms",
          target, cause.toString(), retryNanos / 1_000_000);
      try {
        listener.onUnavailable(target, cause);
      } catch (RuntimeException e) {
        LOG.warn("RedisAvailabilityListener.onUnavailable threw; ignored", e);
      }
    }
  }
}
