package dev.tenancy.core.quota;

import dev.tenancy.core.StandardLimit;

/** What a {@link QuotaDecision} or a {@link QuotaAlert} is about: one of the limits {@link QuotaManager} enforces. */
public enum QuotaResource {
  /** Requests per second, with a burst of twice the rate ({@link StandardLimit#REQUESTS_PER_SECOND}). */
  RATE_LIMIT(StandardLimit.REQUESTS_PER_SECOND),
  /** API calls per calendar month ({@link StandardLimit#API_CALLS_PER_MONTH}). */
  API_CALLS(StandardLimit.API_CALLS_PER_MONTH),
  /** Requests in flight at once on this instance ({@link StandardLimit#MAX_CONCURRENT_REQUESTS}). */
  CONCURRENCY(StandardLimit.MAX_CONCURRENT_REQUESTS),
  /** Bytes of storage reported by the application ({@link StandardLimit#STORAGE_BYTES}). */
  STORAGE(StandardLimit.STORAGE_BYTES),
  /** Users with a live session lease ({@link StandardLimit#CONCURRENT_USERS}). */
  CONCURRENT_USERS(StandardLimit.CONCURRENT_USERS);

  private final StandardLimit limit;

  QuotaResource(StandardLimit limit) {
    this.limit = limit;
  }

  /**
   * The configuration limit that bounds this resource.
   *
   * @return the standard limit whose key ({@link StandardLimit#key()}) tiers and tenants set
   */
  public StandardLimit limit() {
    return limit;
  }
}
