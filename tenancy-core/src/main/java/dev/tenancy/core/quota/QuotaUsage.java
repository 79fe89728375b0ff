package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's usage against its limits, for the admin API and dashboards. A read: taking it consumes nothing.
 *
 * @param tenant the tenant's id
 * @param period the current calendar month (in the quota manager's zone)
 * @param periodEnd when the month's counters start again from zero
 * @param apiCalls API calls admitted this period
 * @param storageBytes the storage last reported by the application
 * @param concurrentUsers users with a live session lease
 * @param concurrentRequests requests in flight on this instance (counted only while the tenant has a concurrency
 *     limit)
 * @param rate the rate limiter's state, or {@code null} when the tenant has no rate limit
 */
public record QuotaUsage(TenantId tenant, YearMonth period, Instant periodEnd, Meter apiCalls, Meter storageBytes,
    Meter concurrentUsers, Meter concurrentRequests, @Nullable Rate rate) {

  /** Checks that no part is missing. */
  public QuotaUsage {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(periodEnd, "periodEnd");
    Objects.requireNonNull(apiCalls, "apiCalls");
    Objects.requireNonNull(storageBytes, "storageBytes");
    Objects.requireNonNull(concurrentUsers, "concurrentUsers");
    Objects.requireNonNull(concurrentRequests, "concurrentRequests");
  }

  /**
   * Usage of one resource against its limit.
   *
   * @param used how much is used
   * @param limit the limit, or {@code null} when unlimited
   */
  public record Meter(long used, @Nullable Long limit) {

    /** Checks the values. */
    public Meter {
      if (used < 0) {
        throw new IllegalArgumentException("used must not be negative, was " + used);
      }
    }

    /** @return whether a limit applies */
    public boolean isLimited() {
      return limit != null;
    }

    /** @return what is left of the limit (0 when over it), or {@link Long#MAX_VALUE} when unlimited */
    public long remaining() {
      return limit == null ? Long.MAX_VALUE : Math.max(0, limit - used);
    }
  }

  /**
   * The rate limiter's state.
   *
   * @param requestsPerSecond the sustained rate
   * @param burst how many requests may arrive at once after a quiet spell (twice the rate)
   * @param remaining how many could pass right now
   * @param reset how long until the full burst is available again
   */
  public record Rate(long requestsPerSecond, long burst, long remaining, Duration reset) {

    /** Checks that no part is missing. */
    public Rate {
      Objects.requireNonNull(reset, "reset");
    }
  }
}
