package dev.tenancy.core.quota;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The GCRA parameters of a rate of {@code perSecond} requests with a burst of twice that: one permit every
 * {@code interval}, and a theoretical arrival time that may run {@code (burst - 1) × interval} ahead of now.
 */
record RateLimit(long perSecond, long burst, Duration interval, Duration tolerance) {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * Recently derived limits, by rate. Tenants share the few rates of their tiers, so a check almost always finds its
   * limit here instead of allocating three objects. Races only ever lose an entry: a limit is immutable (final fields),
   * so whichever one a thread reads from a slot is complete and correct for its rate.
   */
  private static final @Nullable RateLimit[] RECENT = new RateLimit[64];

  /**
   * @param perSecond the configured rate, positive
   * @return the parameters, or {@code null} when the rate is so high (over 10⁹/s) that it cannot bind
   */
  static @Nullable RateLimit of(long perSecond) {
    if (perSecond > NANOS_PER_SECOND) {
      return null;
    }
    int slot = Long.hashCode(perSecond) & (RECENT.length - 1);
    RateLimit recent = RECENT[slot];
    if (recent != null && recent.perSecond == perSecond) {
      return recent;
    }
    RateLimit limit = derive(perSecond);
    RECENT[slot] = limit;
    return limit;
  }

  private static RateLimit derive(long perSecond) {
    long interval = NANOS_PER_SECOND / perSecond;
    long burst = 2 * perSecond;
    return new RateLimit(perSecond, burst, Duration.ofNanos(interval), Duration.ofNanos((burst - 1) * interval));
  }

  /**
   * How many permits could pass right now, given how long until the bucket is full again.
   *
   * @param resetAfter the store's {@code resetAfter}: how far the arrival time runs ahead of now
   * @return the permits left, between 0 and the burst
   */
  long remaining(Duration resetAfter) {
    long interval = this.interval.toNanos();
    long owed = (resetAfter.toNanos() + interval - 1) / interval;
    return Math.max(0, Math.min(burst, burst - owed));
  }
}
