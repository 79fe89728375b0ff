package dev.tenancy.core.metrics;

import dev.tenancy.core.TenantId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's request statistics over the recent window of a {@link TenantMetricsView}: what the admin API's
 * {@code GET /api/v1/admin/metrics} and the dashboard show.
 *
 * @param tenant the tenant
 * @param requests requests handled (admitted and run), since the view started
 * @param errors requests that ended with a status of 500 or above, since the view started
 * @param p50Ms the median latency in milliseconds over the recent window; 0 without requests
 * @param p95Ms the 95th percentile latency in milliseconds over the recent window; 0 without requests
 * @param p99Ms the 99th percentile latency in milliseconds over the recent window; 0 without requests
 * @param throttled requests refused by a rate limit, quota or bulkhead (429), since the view started
 * @param slaP95TargetMs the tenant's p95 target in milliseconds, or {@code null} when its tier sets none
 * @since 0.1.0
 */
public record TenantRequestStats(TenantId tenant, long requests, long errors, double p50Ms, double p95Ms,
    double p99Ms, long throttled, @Nullable Long slaP95TargetMs) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a count or latency is negative, or there are more errors than requests
   */
  public TenantRequestStats {
    Objects.requireNonNull(tenant, "tenant");
    if (requests < 0 || errors < 0 || throttled < 0 || errors > requests) {
      throw new IllegalArgumentException("need 0 <= errors <= requests and throttled >= 0, was requests=" + requests
          + ", errors=" + errors + ", throttled=" + throttled);
    }
    if (p50Ms < 0 || p95Ms < 0 || p99Ms < 0) {
      throw new IllegalArgumentException("latencies must not be negative");
    }
  }

  /**
   * The statistics of a tenant that has not been seen.
   *
   * @param tenant the tenant
   * @param slaP95TargetMs its p95 target, or {@code null}
   * @return all counts zero
   */
  public static TenantRequestStats empty(TenantId tenant, @Nullable Long slaP95TargetMs) {
    return new TenantRequestStats(tenant, 0, 0, 0, 0, 0, 0, slaP95TargetMs);
  }

  /** @return the p95 target, if the tenant's tier sets one */
  public Optional<Long> findSlaP95TargetMs() {
    return Optional.ofNullable(slaP95TargetMs);
  }

  /** @return whether a target is set, there were requests, and the recent p95 is above the target */
  public boolean slaBreached() {
    return slaP95TargetMs != null && requests > 0 && p95Ms > slaP95TargetMs;
  }
}
