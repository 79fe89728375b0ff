package dev.tenancy.redis;

import java.time.Duration;

/**
 * Hears when a {@link RedisQuotaStore} loses Redis and when it has it back: exactly once per outage each, however many
 * calls fail in between, so it can page someone or flip a health indicator without flooding.
 *
 * <p>Called on the thread that noticed the change (possibly a Lettuce I/O thread): return quickly. A listener that
 * throws is logged and ignored; it never changes a quota decision.
 */
public interface RedisAvailabilityListener {

  /**
   * Redis has become unreachable (or timed out, or refused commands); until it recovers the store answers according
   * to its {@link FailurePolicy}.
   *
   * @param target which Redis, without credentials (e.g. {@code redis://10.0.0.5:6379/0})
   * @param cause the failure that was noticed first
   */
  default void onUnavailable(String target, Throwable cause) {
  }

  /**
   * Redis answers again; from now on the store uses it again.
   *
   * @param target which Redis, without credentials
   * @param downtime how long the store could not use Redis
   */
  default void onRecovered(String target, Duration downtime) {
  }
}
