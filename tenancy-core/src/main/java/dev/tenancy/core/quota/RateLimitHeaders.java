package dev.tenancy.core.quota;

import java.time.Duration;
import java.util.Objects;

/**
 * The values of the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} response headers
 * (IETF draft "RateLimit header fields for HTTP") for one decision: the policy closest to exhaustion, or the one that
 * refused.
 *
 * @param limit how many requests the policy allows (the burst for the rate limit, the monthly quota for API calls)
 * @param remaining how many of them are left right now
 * @param reset how long until the policy is back to its full allowance (or, after a denial, until a retry can pass)
 */
public record RateLimitHeaders(long limit, long remaining, Duration reset) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a count is negative, {@code remaining} exceeds {@code limit} or
   *     {@code reset} is negative
   */
  public RateLimitHeaders {
    Objects.requireNonNull(reset, "reset");
    if (limit < 0 || remaining < 0 || remaining > limit) {
      throw new IllegalArgumentException(
          "need 0 <= remaining <= limit, was remaining=" + remaining + ", limit=" + limit);
    }
    if (reset.isNegative()) {
      throw new IllegalArgumentException("reset must not be negative, was " + reset);
    }
  }

  /**
   * The reset as whole seconds, rounded up, as the header carries it.
   *
   * @return seconds until the reset, at least 0
   */
  public long resetSeconds() {
    return QuotaDecision.ceilSeconds(reset);
  }
}
