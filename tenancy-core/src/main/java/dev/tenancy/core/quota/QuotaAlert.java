package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * A tenant crossed a threshold of one of its limits. {@link QuotaManager} raises each alert once per tenant,
 * resource, threshold and period, across all instances that share a quota store.
 *
 * <p>For {@link QuotaResource#RATE_LIMIT} and {@link QuotaResource#CONCURRENCY}, which have no monthly total, the only
 * threshold is 100: the tenant was refused for that reason for the first time in the period.
 *
 * @param tenant the tenant's id
 * @param slug the tenant's slug
 * @param resource the limit that was crossed
 * @param thresholdPercent 80, 90 or 100
 * @param used the usage that crossed it
 * @param limit the limit in effect then
 * @param period the calendar month the alert belongs to
 * @param raisedAt when it was crossed (the quota manager's clock)
 */
public record QuotaAlert(TenantId tenant, TenantSlug slug, QuotaResource resource, int thresholdPercent, long used,
    long limit, YearMonth period, Instant raisedAt) {

  /** Checks that no part is missing. */
  public QuotaAlert {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(raisedAt, "raisedAt");
  }
}
