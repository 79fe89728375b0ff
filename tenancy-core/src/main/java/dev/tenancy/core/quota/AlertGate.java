package dev.tenancy.core.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises each threshold alert once per tenant, resource, threshold and period.
 *
 * <p>Once means once across instances and restarts: the instance whose marker counter in the quota store goes from 0
 * to 1 raises the alert (the store's atomic {@code addIfWithin} decides), and the marker is persisted with the usage
 * counters. A bounded local set of alerts already decided spares the store a round trip on every request of a tenant
 * that stays above 80 %; if it forgets an entry, the store still remembers.
 */
final class AlertGate {

  private static final Logger LOG = LoggerFactory.getLogger(AlertGate.class);
  private static final int[] THRESHOLDS = {80, 90, 100};

  private final QuotaStore store;
  private final QuotaKeys keys;
  private final Duration slack;
  private final List<QuotaAlertListener> listeners;
  private final @Nullable UsagePersister persister;
  private final Cache<Marker, Boolean> decided = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterWrite(Duration.ofDays(32))
      .build();

  AlertGate(QuotaStore store, QuotaKeys keys, Duration slack, List<QuotaAlertListener> listeners,
      @Nullable UsagePersister persister) {
    this.store = store;
    this.keys = keys;
    this.slack = slack;
    this.listeners = List.copyOf(listeners);
    this.persister = persister;
  }

  /** Raises the alerts of every threshold that {@code used} has reached. */
  void usage(TenantInfo tenant, QuotaResource resource, long used, long limit, QuotaPeriod period, Instant now) {
    if (listeners.isEmpty() || limit <= 0 || used < threshold(limit, THRESHOLDS[0])) {
      return;
    }
    for (int percent : THRESHOLDS) {
      if (used >= threshold(limit, percent)) {
        raise(tenant, resource, percent, used, limit, period, now);
      }
    }
  }

  /** Raises the 100 % alert of a resource that refused a request (and the lower ones a sudden limit cut skipped). */
  void denied(TenantInfo tenant, QuotaResource resource, long used, long limit, QuotaPeriod period, Instant now) {
    if (limit <= 0 || resource == QuotaResource.RATE_LIMIT || resource == QuotaResource.CONCURRENCY) {
      raise(tenant, resource, 100, used, limit, period, now);
    } else {
      usage(tenant, resource, Math.max(used, limit), limit, period, now);
    }
  }

  private void raise(TenantInfo tenant, QuotaResource resource, int percent, long used, long limit,
      QuotaPeriod period, Instant now) {
    if (listeners.isEmpty()) {
      return;
    }
    Marker marker = new Marker(tenant.id(), resource, percent, period.month());
    if (decided.getIfPresent(marker) != null) {
      return;
    }
    String name = keys.alertName(tenant.id(), resource, percent);
    CounterUpdate update;
    try {
      update = store.addIfWithin(keys.counter(name, period), 1, 1, period.end().plus(slack));
    } catch (RuntimeException e) {
      // Alerts are observers: a store hiccup must not fail the request; the next request tries again.
      LOG.warn("Could not record the {} % {} alert of tenant {}; it will be retried", percent, resource, tenant.id(),
          e);
      return;
    }
    decided.put(marker, Boolean.TRUE);
    if (!update.added()) {
      return;
    }
    if (persister != null) {
      persister.touched(name, period);
    }
    QuotaAlert alert = new QuotaAlert(tenant.id(), tenant.slug(), resource, percent, used, limit, period.month(), now);
    for (QuotaAlertListener listener : listeners) {
      try {
        listener.onAlert(alert);
      } catch (RuntimeException e) {
        LOG.warn("Quota alert listener {} failed on {}; ignored", listener, alert, e);
      }
    }
  }

  /** The smallest usage that reaches {@code percent} of {@code limit}: ceil(limit × percent / 100), overflow-free. */
  static long threshold(long limit, int percent) {
    return limit / 100 * percent + (limit % 100 * percent + 99) / 100;
  }

  private record Marker(TenantId tenant, QuotaResource resource, int percent, YearMonth month) {
  }
}
