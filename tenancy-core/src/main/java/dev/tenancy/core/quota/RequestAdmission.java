package dev.tenancy.core.quota;

import static dev.tenancy.core.quota.QuotaResource.API_CALLS;
import static dev.tenancy.core.quota.QuotaResource.CONCURRENCY;
import static dev.tenancy.core.quota.QuotaResource.RATE_LIMIT;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.spi.QuotaStore.Admission;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import dev.tenancy.core.spi.QuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The per-request decision of {@link QuotaManager#check}: bulkhead slot, then rate limit, then monthly counter; see
 * {@link QuotaManager} for why in this order.
 */
final class RequestAdmission {

  private static final Duration BULKHEAD_RETRY = Duration.ofSeconds(1);
  private static final Duration BLOCKED_RETRY = Duration.ofSeconds(1);

  private final QuotaStore store;
  private final Clock clock;
  private final QuotaPeriod.Calendar calendar;
  private final QuotaKeys keys;
  private final AlertGate alerts;
  private final @Nullable UsagePersister persister;
  private final double softThreshold;
  private final Duration counterSlack;
  private final BulkheadSlots slots = new BulkheadSlots();

  RequestAdmission(QuotaStore store, Clock clock, QuotaPeriod.Calendar calendar, QuotaKeys keys, AlertGate alerts,
      @Nullable UsagePersister persister, double softThreshold, Duration counterSlack) {
    this.store = store;
    this.clock = clock;
    this.calendar = calendar;
    this.keys = keys;
    this.alerts = alerts;
    this.persister = persister;
    this.softThreshold = softThreshold;
    this.counterSlack = counterSlack;
  }

  QuotaDecision check(TenantInfo tenant) {
    Instant now = clock.instant();
    QuotaPeriod period = calendar.at(now);
    QuotaPermit permit = QuotaPermit.NONE;
    OptionalLong concurrency = tenant.configuration().limit(StandardLimit.MAX_CONCURRENT_REQUESTS);
    if (concurrency.isPresent()) {
      long max = Math.max(0, concurrency.getAsLong());
      if (!slots.tryAcquire(tenant.id(), max)) {
        alerts.denied(tenant, CONCURRENCY, max, max, period, now);
        return QuotaDecision.deny(tenant.id(), CONCURRENCY, max, max, BULKHEAD_RETRY, null);
      }
      permit = new QuotaPermit(slots, tenant.id());
    }
    boolean admitted = false;
    try {
      QuotaDecision decision = rateAndMonthly(tenant, period, now, permit);
      admitted = decision.isAllowed();
      return decision;
    } finally {
      if (!admitted) {
        permit.close();
      }
    }
  }

  private QuotaDecision rateAndMonthly(TenantInfo tenant, QuotaPeriod period, Instant now, QuotaPermit permit) {
    TenantId id = tenant.id();
    EffectiveConfiguration config = tenant.configuration();
    OptionalLong monthly = config.limit(StandardLimit.API_CALLS_PER_MONTH);
    long limit = monthly.isPresent() ? Math.max(0, monthly.getAsLong()) : Long.MAX_VALUE;
    QuotaKeys.TenantKeys tenantKeys = keys.of(id);
    String name = tenantKeys.apiCallsName();
    String counterKey = keys.apiCallsCounter(tenantKeys, period);
    Instant expiresAt = period.end().plus(counterSlack);
    RateLimitHeaders rateHeaders = null;
    CounterUpdate count;
    OptionalLong perSecond = config.limit(StandardLimit.REQUESTS_PER_SECOND);
    RateLimit rate = perSecond.isPresent() && perSecond.getAsLong() > 0 ? RateLimit.of(perSecond.getAsLong()) : null;
    if (perSecond.isPresent() && perSecond.getAsLong() <= 0) {
      alerts.denied(tenant, RATE_LIMIT, 0, 0, period, now);
      return QuotaDecision.deny(id, RATE_LIMIT, 0, 0, BLOCKED_RETRY, new RateLimitHeaders(0, 0, BLOCKED_RETRY));
    } else if (rate != null) {
      // Rate and counter in one store call: one round trip to a shared store.
      Admission admission = store.admit(tenantKeys.rate(), rate.interval(), rate.tolerance(), counterKey, limit,
          expiresAt);
      RateDecision step = admission.rate();
      if (!step.allowed()) {
        alerts.denied(tenant, RATE_LIMIT, rate.burst(), rate.burst(), period, now);
        return QuotaDecision.deny(id, RATE_LIMIT, rate.burst(), rate.burst(), step.retryAfter(),
            new RateLimitHeaders(rate.burst(), 0, step.retryAfter()));
      }
      rateHeaders = new RateLimitHeaders(rate.burst(), rate.remaining(step.resetAfter()), step.resetAfter());
      count = Objects.requireNonNull(admission.counter(), "an admitting rate step carries the counter update");
    } else {
      count = store.addIfWithin(counterKey, 1, limit, expiresAt);
    }
    Duration untilEnd = Duration.between(now, period.end());
    if (!count.added()) {
      alerts.denied(tenant, API_CALLS, count.value(), limit, period, now);
      return QuotaDecision.deny(id, API_CALLS, Math.max(count.value(), limit), limit, untilEnd,
          new RateLimitHeaders(limit, 0, untilEnd));
    }
    if (persister != null) {
      persister.touched(name, period);
    }
    if (monthly.isEmpty()) {
      return QuotaDecision.allow(id, rateHeaders, permit);
    }
    long used = count.value();
    alerts.usage(tenant, API_CALLS, used, limit, period, now);
    RateLimitHeaders monthlyHeaders = new RateLimitHeaders(limit, Math.max(0, limit - used), untilEnd);
    RateLimitHeaders headers =
        rateHeaders == null || share(monthlyHeaders) < share(rateHeaders) ? monthlyHeaders : rateHeaders;
    return used >= limit * softThreshold
        ? QuotaDecision.warn(id, API_CALLS, used, limit, headers, permit)
        : QuotaDecision.allow(id, headers, permit);
  }

  /** @return the API calls counted for a tenant in a period */
  long apiCalls(TenantId tenant, QuotaPeriod period) {
    return store.current(keys.counter(keys.apiCallsName(tenant), period));
  }

  /** @return the tenant's requests in flight on this instance that hold a bulkhead slot */
  int inFlight(TenantId tenant) {
    return slots.inFlight(tenant);
  }

  QuotaUsage.@Nullable Rate rate(TenantId id, EffectiveConfiguration config) {
    OptionalLong perSecond = config.limit(StandardLimit.REQUESTS_PER_SECOND);
    if (perSecond.isEmpty()) {
      return null;
    }
    RateLimit rate = perSecond.getAsLong() <= 0 ? null : RateLimit.of(perSecond.getAsLong());
    if (rate == null) {
      long blocked = Math.max(0, perSecond.getAsLong());
      return new QuotaUsage.Rate(blocked, 2 * blocked, 2 * blocked, Duration.ZERO);
    }
    // A read through the SPI: one permit more than the burst can never pass, and a refused step changes nothing but
    // reports how far the bucket's arrival time runs ahead of now.
    RateDecision peek = store.acquire(keys.rate(id), rate.interval(), rate.tolerance(), (int) rate.burst() + 1);
    return new QuotaUsage.Rate(rate.perSecond(), rate.burst(), rate.remaining(peek.resetAfter()), peek.resetAfter());
  }

  private static double share(RateLimitHeaders headers) {
    return headers.limit() == 0 ? 0 : (double) headers.remaining() / headers.limit();
  }
}
