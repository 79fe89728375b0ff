package dev.tenancy.servlet.metrics;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.metrics.TenantRequestStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What {@link MicrometerTenantMetrics} keeps per tenant: counters and a bounded latency histogram. */
final class TenantStats {

  final TenantId tenant;
  volatile String label;
  final LongAdder requests = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LatencyHistogram latency;
  /** The tenant's p95 target in ms, or -1 when it has none. */
  volatile long slaTargetMs = -1;
  final AtomicLong nextSlaCheck;
  /** {@link #requests} when the busiest tenants were last chosen. */
  volatile long requestsAtRebalance;

  TenantStats(TenantId tenant, long windowNanos, long nowNanos) {
    this.tenant = tenant;
    this.label = tenant.toString();
    this.latency = new LatencyHistogram(windowNanos, nowNanos);
    this.nextSlaCheck = new AtomicLong(nowNanos);
  }

  TenantRequestStats snapshot(long nowNanos) {
    long total = requests.sum();
    long failed = Math.min(errors.sum(), total);
    long target = slaTargetMs;
    return new TenantRequestStats(tenant, total, failed, latency.percentileMs(0.50, nowNanos),
        latency.percentileMs(0.95, nowNanos), latency.percentileMs(0.99, nowNanos), throttled.sum(),
        target < 0 ? null : target);
  }
}
