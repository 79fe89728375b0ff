package dev.tenancy.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Atomic storage primitives for quotas and rate limits; the policy (which limit, which period, what to answer) stays
 * in {@code dev.tenancy.core.quota.QuotaManager}. An in-memory store serves one instance; a shared store (Redis) lets
 * any number of instances enforce one exact limit.
 *
 * <p>Every operation is atomic on its key, and every key a store creates expires (counters at the end of their
 * period, buckets when full again, leases after their time to live), so abandoned tenants leave nothing behind.
 * Implementations should pass {@code dev.tenancy.test.QuotaStoreCompatibilityKit}.
 *
 * @since 0.1.0
 */
public interface QuotaStore {

  /**
   * Adds {@code amount} to a counter only if the result stays within {@code limit}; never partially.
   *
   * @param key the counter's key (e.g. tenant, resource and period)
   * @param amount how much to add, at least 1
   * @param limit the highest value the counter may reach
   * @param expiresAt when a counter created by this call expires (the end of its period)
   * @return whether it was added, and the counter's value afterwards (or its unchanged value when refused)
   */
  CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt);

  /**
   * Takes back an amount added by {@link #addIfWithin} whose work was then refused or never done; never below zero.
   *
   * @param key the counter's key
   * @param amount how much to take back
   * @return the counter's value afterwards
   */
  long subtract(String key, long amount);

  /**
   * @param key the counter's key
   * @return the counter's value, 0 if absent or expired
   */
  long current(String key);

  /**
   * One step of the generic cell rate algorithm (GCRA), on the store's own clock so that clock skew between app
   * instances cannot change the rate. With {@code T = emissionInterval}, {@code τ = burstTolerance} and
   * {@code tat = max(stored TAT, now)}: the request is admitted when {@code tat + permits × T − now ≤ τ + T}, and the
   * TAT becomes {@code tat + permits × T}. So a full bucket admits exactly {@code burst} permits at once when
   * {@code τ = (burst − 1) × T}, and a refused request changes nothing; {@code retryAfter} is the time until it would
   * be admitted.
   *
   * @param key the bucket's key
   * @param emissionInterval the time one permit represents (1 s / rate)
   * @param burstTolerance how far ahead of now the TAT may run ((burst - 1) × emissionInterval)
   * @param permits how many permits this request takes, at least 1
   * @return the decision
   */
  RateDecision acquire(String key, Duration emissionInterval, Duration burstTolerance, int permits);

  /**
   * A request's rate-limit step and its counter increment as one decision, so that a store shared over the network
   * answers a request in one round trip: {@link #acquire} on the bucket, and only if that admits,
   * {@link #addIfWithin} on the counter. Both keys belong to one tenant; a store that shards by key must keep them
   * together (Tenancy's keys carry the tenant as a Redis Cluster hash tag, {@code {tenant-id}}).
   *
   * <p>This default makes the two calls. A store that overrides it must answer exactly as they would, and may do
   * better where the counter refuses: the default has then consumed the rate permit (harmless, as a tenant at its
   * limit is refused until the period ends anyway), an atomic implementation leaves the bucket untouched.
   *
   * @param bucketKey the rate bucket's key
   * @param emissionInterval as for {@link #acquire}
   * @param burstTolerance as for {@link #acquire}
   * @param counterKey the counter's key
   * @param limit the highest value the counter may reach (the amount added is 1)
   * @param expiresAt when a counter created by this call expires
   * @return the rate decision, and the counter update when the rate admitted the request
   */
  default Admission admit(String bucketKey, Duration emissionInterval, Duration burstTolerance, String counterKey,
      long limit, Instant expiresAt) {
    RateDecision rate = acquire(bucketKey, emissionInterval, burstTolerance, 1);
    if (!rate.allowed()) {
      return new Admission(rate, null);
    }
    return new Admission(rate, addIfWithin(counterKey, 1, limit, expiresAt));
  }

  /**
   * Takes or renews a lease (a slot such as "one concurrent user") for a holder, if fewer than {@code limit}
   * holders have a live lease or this holder already has one.
   *
   * @param key the lease set's key
   * @param holder who holds the slot (e.g. a user or session id)
   * @param limit how many holders may have a lease at once
   * @param timeToLive how long the lease lives unless renewed
   * @return {@code true} if the holder now has a live lease
   */
  boolean acquireLease(String key, String holder, long limit, Duration timeToLive);

  /**
   * Ends a holder's lease early.
   *
   * @param key the lease set's key
   * @param holder the holder
   */
  void releaseLease(String key, String holder);

  /**
   * @param key the lease set's key
   * @return how many holders have a live lease
   */
  long activeLeases(String key);

  /**
   * The result of {@link #addIfWithin}.
   *
   * @param added whether the amount was added
   * @param value the counter's value after the call
   */
  record CounterUpdate(boolean added, long value) {
  }

  /**
   * The result of {@link #acquire}.
   *
   * @param allowed whether the permits were granted
   * @param retryAfter when refused, how long until the request would be granted; zero when allowed
   * @param resetAfter how long until the bucket is full again (for {@code RateLimit-Reset})
   */
  record RateDecision(boolean allowed, Duration retryAfter, Duration resetAfter) {
  }

  /**
   * The result of {@link #admit}.
   *
   * @param rate the rate-limit step
   * @param counter the counter update, or {@code null} when the rate refused (the counter was then not touched)
   */
  record Admission(RateDecision rate, @Nullable CounterUpdate counter) {

    /**
     * @param rate the rate-limit step
     * @param counter the counter update; required exactly when the rate admitted
     * @throws IllegalArgumentException if {@code counter} is missing after an admitting step, or present after a
     *     refusing one
     */
    public Admission {
      Objects.requireNonNull(rate, "rate");
      if (rate.allowed() != (counter != null)) {
        throw new IllegalArgumentException("An admission has a counter update exactly when the rate admitted; rate "
            + (rate.allowed() ? "admitted but the counter update is missing" : "refused but a counter was updated"));
      }
    }

    /** @return whether both the rate and the counter admitted the request */
    public boolean allowed() {
      return counter != null && counter.added();
    }
  }
}
