package dev.tenancy.core.spi;

import java.time.Duration;
import java.time.Instant;

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
}
