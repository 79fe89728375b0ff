package dev.tenancy.core.quota;

import static dev.tenancy.core.quota.QuotaResource.CONCURRENT_USERS;
import static dev.tenancy.core.quota.QuotaResource.STORAGE;

import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.spi.QuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The gauges of {@link QuotaManager}: storage the application reports, and concurrent users as leases. Unlike API
 * calls these go up and down, so their alerts fire when a report or a lease reaches a threshold.
 */
final class QuotaGauges {

  /** A storage report stays readable through the next period, where it applies until the first new report. */
  private static final Duration STORAGE_LIFETIME = Duration.ofDays(40);

  private final QuotaStore store;
  private final Clock clock;
  private final QuotaPeriod.Calendar calendar;
  private final QuotaKeys keys;
  private final AlertGate alerts;
  private final double softThreshold;

  QuotaGauges(QuotaStore store, Clock clock, QuotaPeriod.Calendar calendar, QuotaKeys keys, AlertGate alerts,
      double softThreshold) {
    this.store = store;
    this.clock = clock;
    this.calendar = calendar;
    this.keys = keys;
    this.alerts = alerts;
    this.softThreshold = softThreshold;
  }

  QuotaDecision reportStorage(TenantInfo tenant, long bytes) {
    Instant now = clock.instant();
    QuotaPeriod period = calendar.at(now);
    String key = keys.storage(tenant.id(), period);
    // Stored as bytes + 1, so that 0 means "not reported this period" and the previous period's report still applies.
    long target = bytes == Long.MAX_VALUE ? bytes : bytes + 1;
    long stored = store.current(key);
    if (target > stored) {
      store.addIfWithin(key, target - stored, Long.MAX_VALUE, period.end().plus(STORAGE_LIFETIME));
    } else if (target < stored) {
      store.subtract(key, stored - target);
    }
    return storageDecision(tenant, bytes, period, now, true);
  }

  QuotaDecision checkStorage(TenantInfo tenant, long additionalBytes) {
    Instant now = clock.instant();
    QuotaPeriod period = calendar.at(now);
    long stored = storedBytes(tenant.id(), period);
    long total = stored > Long.MAX_VALUE - additionalBytes ? Long.MAX_VALUE : stored + additionalBytes;
    return storageDecision(tenant, total, period, now, false);
  }

  long storedBytes(TenantId tenant, QuotaPeriod period) {
    long stored = store.current(keys.storage(tenant, period));
    if (stored == 0) {
      stored = store.current(keys.storage(tenant, calendar.previous(period)));
    }
    return Math.max(0, stored - 1);
  }

  private QuotaDecision storageDecision(TenantInfo tenant, long used, QuotaPeriod period, Instant now,
      boolean alert) {
    OptionalLong configured = tenant.configuration().limit(StandardLimit.STORAGE_BYTES);
    if (configured.isEmpty()) {
      return QuotaDecision.allow(tenant.id(), null, QuotaPermit.NONE);
    }
    long limit = Math.max(0, configured.getAsLong());
    if (used > limit) {
      if (alert) {
        alerts.denied(tenant, STORAGE, used, limit, period, now);
      }
      return QuotaDecision.deny(tenant.id(), STORAGE, used, limit, Duration.ZERO, null);
    }
    if (alert) {
      alerts.usage(tenant, STORAGE, used, limit, period, now);
    }
    return softDecision(tenant.id(), STORAGE, used, limit);
  }

  QuotaDecision acquireUser(TenantInfo tenant, String userId, Duration ttl) {
    OptionalLong configured = tenant.configuration().limit(StandardLimit.CONCURRENT_USERS);
    long limit = configured.isPresent() ? Math.max(0, configured.getAsLong()) : Long.MAX_VALUE;
    String key = keys.users(tenant.id());
    boolean leased = store.acquireLease(key, userId, limit, ttl);
    if (configured.isEmpty()) {
      return QuotaDecision.allow(tenant.id(), null, QuotaPermit.NONE);
    }
    Instant now = clock.instant();
    QuotaPeriod period = calendar.at(now);
    long active = store.activeLeases(key);
    if (!leased) {
      alerts.denied(tenant, CONCURRENT_USERS, active, limit, period, now);
      return QuotaDecision.deny(tenant.id(), CONCURRENT_USERS, Math.max(active, limit), limit, ttl, null);
    }
    alerts.usage(tenant, CONCURRENT_USERS, active, limit, period, now);
    return softDecision(tenant.id(), CONCURRENT_USERS, active, limit);
  }

  void releaseUser(TenantInfo tenant, String userId) {
    store.releaseLease(keys.users(tenant.id()), userId);
  }

  long activeUsers(TenantId tenant) {
    return store.activeLeases(keys.users(tenant));
  }

  private QuotaDecision softDecision(TenantId tenant, QuotaResource resource, long used, long limit) {
    return used >= limit * softThreshold
        ? QuotaDecision.warn(tenant, resource, used, limit, null, QuotaPermit.NONE)
        : QuotaDecision.allow(tenant, null, QuotaPermit.NONE);
  }
}
