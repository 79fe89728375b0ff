package dev.tenancy.core;

/**
 * The limits Tenancy itself enforces, with the keys they have in tier definitions, tenant overrides, environment
 * overrides ({@code LIMIT_API_CALLS_PER_MONTH}) and the admin API ({@code "apiCallsPerMonth"}).
 *
 * <p>Tiers and tenants may carry further, application-defined limits under their own keys; a missing limit means
 * "unlimited".
 */
public enum StandardLimit {
  /** API calls per calendar month (UTC by default). */
  API_CALLS_PER_MONTH("apiCallsPerMonth"),
  /** Sustained requests per second; the burst is twice this. */
  REQUESTS_PER_SECOND("requestsPerSecond"),
  /** Requests of one tenant in flight at once (the bulkhead). */
  MAX_CONCURRENT_REQUESTS("maxConcurrentRequests"),
  /** Bytes of storage the application reports for the tenant. */
  STORAGE_BYTES("storageBytes"),
  /** Distinct users with a live session at once. */
  CONCURRENT_USERS("concurrentUsers"),
  /**
   * Days an audit event is kept before {@code AuditRetention} may purge it; missing means kept forever.
   *
   * @since 0.1.0
   */
  AUDIT_RETENTION_DAYS("auditRetentionDays"),
  /**
   * The service-level target for the tenant's request latency: p95 in milliseconds over the recent window. Not a
   * limit that refuses anything; above it, an SLA alert is raised (once per period).
   *
   * @since 0.1.0
   */
  SLA_P95_MILLIS("slaP95Millis");

  private final String key;

  StandardLimit(String key) {
    this.key = key;
  }

  /**
   * The key of this limit in configuration maps and JSON.
   *
   * @return the camel-case key, e.g. {@code apiCallsPerMonth}
   */
  public String key() {
    return key;
  }
}
