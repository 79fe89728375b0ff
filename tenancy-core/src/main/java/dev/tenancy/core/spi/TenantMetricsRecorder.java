package dev.tenancy.core.spi;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.quota.QuotaResource;

/**
 * Receives the outcome of every tenant request, so that requests, errors, latency percentiles and throttling can be
 * counted per tenant. {@code TenantFilter} calls it once per request after the response is decided; a backend
 * (Micrometer, an in-memory store) implements it.
 *
 * <p>Called on the request thread, so an implementation must be cheap (no I/O, no locks held for long) and must not
 * throw: callers treat a failing recorder as an observer failure, log it and carry on.
 *
 * <pre>{@code
 * TenantMetricsRecorder metrics = MicrometerTenantMetrics.builder().registry(registry).build();
 * long start = System.nanoTime();
 * chain.doFilter(request, response);
 * metrics.recordRequest(tenant.id(), response.getStatus(), System.nanoTime() - start);
 * }</pre>
 *
 * @since 0.1.0
 */
public interface TenantMetricsRecorder {

  /**
   * Records one request that a tenant's code handled (admitted by the quota check).
   *
   * @param tenant the tenant the request ran for
   * @param status the HTTP (or HTTP-like) status of the response; 500 and above count as errors
   * @param latencyNanos how long the request took, in nanoseconds
   */
  void recordRequest(TenantId tenant, int status, long latencyNanos);

  /**
   * Records one request with the tenant's info, from which an implementation may read the tenant's slug (a readable
   * tag) and its SLA target ({@link dev.tenancy.core.StandardLimit#SLA_P95_MILLIS}). {@code TenantFilter} calls this
   * one.
   *
   * @param tenant the tenant the request ran for, with its effective configuration
   * @param status the HTTP status of the response; 500 and above count as errors
   * @param latencyNanos how long the request took, in nanoseconds
   * @since 0.1.0
   */
  default void recordRequest(TenantInfo tenant, int status, long latencyNanos) {
    recordRequest(tenant.id(), status, latencyNanos);
  }

  /**
   * Records a request refused by a limit before any work was done (a 429).
   *
   * @param tenant the tenant that was refused
   * @param resource the limit that refused it
   */
  void recordThrottled(TenantId tenant, QuotaResource resource);

  /**
   * A recorder that records nothing, for when metrics are not wanted.
   *
   * @return the no-op recorder
   */
  static TenantMetricsRecorder none() {
    return NoTenantMetrics.INSTANCE;
  }
}
