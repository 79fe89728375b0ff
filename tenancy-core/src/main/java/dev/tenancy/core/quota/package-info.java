/**
 * Quotas, rate limits and noisy-neighbour protection: {@link dev.tenancy.core.quota.QuotaManager} decides per request
 * (concurrency bulkhead, GCRA rate limit, monthly API-call quota), keeps the storage and concurrent-user gauges, and
 * raises threshold alerts, all from the limits in the tenant's effective configuration. The atomic storage is a
 * {@link dev.tenancy.core.spi.QuotaStore} (in memory for one instance, Redis for many); monthly usage survives
 * restarts through a {@link dev.tenancy.core.spi.UsageStore}.
 *
 * <p>Check only authenticated requests: a check consumes the tenant's allowance, so a forged tenant claim must be
 * rejected before it can drain a victim's quota.
 *
 * <pre>{@code
 * QuotaManager quotas = QuotaManager.builder()
 *     .store(new InMemoryQuotaStore())
 *     .listener(alert -> log.warn("{} reached {} % of {}", alert.slug(), alert.thresholdPercent(), alert.resource()))
 *     .build();
 *
 * QuotaDecision decision = quotas.check(tenant);          // after authentication
 * if (!decision.isAllowed()) {
 *   return tooManyRequests(decision.retryAfterSeconds());
 * }
 * try (QuotaPermit permit = decision.permit()) {          // returns the concurrency slot, also on exceptions
 *   return handle(request);
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.quota;

import org.jspecify.annotations.NullMarked;
