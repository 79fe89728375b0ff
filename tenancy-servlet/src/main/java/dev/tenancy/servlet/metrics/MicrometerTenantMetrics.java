package dev.tenancy.servlet.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.alert.AlertSeverity;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.metrics.TenantRequestStats;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Per-tenant request metrics in Micrometer, with a cardinality guard, plus the {@link TenantMetricsView} the admin
 * API reads and SLA tracking.
 *
 * <p><b>Cardinality.</b> Only the busiest {@link Builder#taggedTenants N} tenants get meters tagged with their slug
 * ({@code tenancy.requests}, {@code tenancy.requests.errors}, {@code tenancy.requests.throttled},
 * {@code tenancy.request.latency} with p50/p95/p99); every other tenant is recorded under {@code tenant=other}. The
 * busiest are chosen again every {@link Builder#rebalanceInterval}: meters of tenants that drop out are removed from
 * the registry, so 10,000 tenants never make more than N + 1 tag values.
 *
 * <p><b>Any tenant.</b> Independently of the meters, each tenant seen keeps counters and a fixed-size latency
 * histogram (under 1 KiB) over the last one to two {@link Builder#window windows}, for up to
 * {@link Builder#maxTrackedTenants} tenants (the least recently active are forgotten), so {@link #stats} answers for
 * every tenant, not just the tagged ones.
 *
 * <p><b>SLA.</b> With an {@link AlertCenter}, a tenant whose configuration sets
 * {@link StandardLimit#SLA_P95_MILLIS} has its p95 compared with the target at most once per
 * {@link Builder#slaCheckInterval}; above it, an {@link AlertKind#SLA} alert is raised (the center raises it once per
 * period).
 *
 * <pre>{@code
 * MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder()
 *     .registry(registry)
 *     .taggedTenants(50)
 *     .alerts(alertCenter)
 *     .build();
 * TenantFilter filter = TenantFilter.builder()….metrics(metrics).build();
 * TenantRequestStats acme = metrics.stats(acmeId);      // for GET /api/v1/admin/metrics?tenant=acme
 * }</pre>
 *
 * @since 0.1.0
 */
public final class MicrometerTenantMetrics implements TenantMetricsRecorder, TenantMetricsView {

  /** The tag value all tenants outside the busiest N share. */
  public static final String OTHER = "other";
  /** The default {@link Builder#taggedTenants(int)}. */
  public static final int DEFAULT_TAGGED_TENANTS = 50;
  /** The default {@link Builder#maxTrackedTenants(long)}. */
  public static final long DEFAULT_MAX_TRACKED_TENANTS = 100_000;

  private final MeterRegistry registry;
  private final int taggedTenants;
  private final long windowNanos;
  private final long rebalanceNanos;
  private final long slaCheckNanos;
  private final long slaMinRequests;
  private final @Nullable AlertCenter alerts;
  private final LongSupplier ticker;
  private final Cache<TenantId, TenantStats> tracked;
  private final Map<TenantId, TenantMeters> tagged = new ConcurrentHashMap<>();
  private final TenantMeters other;
  private final AtomicLong nextRebalance;

  private MicrometerTenantMetrics(Builder builder) {
    this.registry = Objects.requireNonNull(builder.registry, "registry");
    this.taggedTenants = builder.taggedTenants;
    this.windowNanos = builder.window.toNanos();
    this.rebalanceNanos = builder.rebalanceInterval.toNanos();
    this.slaCheckNanos = builder.slaCheckInterval.toNanos();
    this.slaMinRequests = builder.slaMinRequests;
    this.alerts = builder.alerts;
    this.ticker = builder.ticker;
    this.tracked = Caffeine.newBuilder().maximumSize(builder.maxTrackedTenants).build();
    this.other = new TenantMeters(registry, OTHER);
    this.nextRebalance = new AtomicLong(ticker.getAsLong() + rebalanceNanos);
    Gauge.builder("tenancy.tenants.tracked", tracked, c -> c.estimatedSize())
        .description("Tenants whose request statistics are kept")
        .register(registry);
  }

  /** @return a builder; only {@link Builder#registry} is required */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void recordRequest(TenantId tenant, int status, long latencyNanos) {
    long now = ticker.getAsLong();
    TenantStats stats = stats(tenant, now);
    count(stats, status, latencyNanos, now);
  }

  @Override
  public void recordRequest(TenantInfo tenant, int status, long latencyNanos) {
    long now = ticker.getAsLong();
    TenantStats stats = stats(tenant.id(), now);
    stats.label = tenant.slug().value();
    OptionalLong target = tenant.configuration().limit(StandardLimit.SLA_P95_MILLIS);
    stats.slaTargetMs = target.isPresent() && target.getAsLong() > 0 ? target.getAsLong() : -1;
    count(stats, status, latencyNanos, now);
    checkSla(stats, tenant, now);
  }

  @Override
  public void recordThrottled(TenantId tenant, QuotaResource resource) {
    long now = ticker.getAsLong();
    TenantStats stats = stats(tenant, now);
    stats.throttled.increment();
    meters(stats).throttled.increment();
    maybeRebalance(now);
  }

  @Override
  public TenantRequestStats stats(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    TenantStats stats = tracked.getIfPresent(tenant);
    return stats == null ? TenantRequestStats.empty(tenant, null) : stats.snapshot(ticker.getAsLong());
  }

  @Override
  public List<TenantRequestStats> all() {
    long now = ticker.getAsLong();
    List<TenantRequestStats> result = new ArrayList<>();
    for (TenantStats stats : tracked.asMap().values()) {
      result.add(stats.snapshot(now));
    }
    result.sort(Comparator.comparingLong(TenantRequestStats::requests).reversed());
    return List.copyOf(result);
  }

  /** @return the tenants that currently have their own tagged meters (at most {@link Builder#taggedTenants}) */
  public Set<TenantId> taggedTenants() {
    return Set.copyOf(tagged.keySet());
  }

  private TenantStats stats(TenantId tenant, long now) {
    Objects.requireNonNull(tenant, "tenant");
    TenantStats stats = tracked.getIfPresent(tenant);
    return stats != null ? stats : tracked.get(tenant, id -> new TenantStats(id, windowNanos, now));
  }

  private void count(TenantStats stats, int status, long latencyNanos, long now) {
    long latency = Math.max(0, latencyNanos);
    stats.requests.increment();
    stats.latency.record(latency, now);
    TenantMeters meters = meters(stats);
    meters.requests.increment();
    meters.latency.record(latency, TimeUnit.NANOSECONDS);
    if (status >= 500) {
      stats.errors.increment();
      meters.errors.increment();
    }
    maybeRebalance(now);
  }

  private TenantMeters meters(TenantStats stats) {
    TenantMeters meters = tagged.get(stats.tenant);
    if (meters != null) {
      return meters;
    }
    if (tagged.size() >= taggedTenants) {
      return other;
    }
    // Until the first rebalance, the first N tenants seen get their own meters.
    synchronized (tagged) {
      if (tagged.size() >= taggedTenants) {
        return other;
      }
      return tagged.computeIfAbsent(stats.tenant, id -> new TenantMeters(registry, stats.label));
    }
  }

  private void maybeRebalance(long now) {
    long due = nextRebalance.get();
    if (now - due < 0 || !nextRebalance.compareAndSet(due, now + rebalanceNanos)) {
      return;
    }
    rebalance();
  }

  /** Chooses the busiest tenants since the last rebalance and gives exactly those their own meters. */
  void rebalance() {
    List<TenantStats> all = new ArrayList<>(tracked.asMap().values());
    Map<TenantStats, Long> recent = new HashMap<>();
    for (TenantStats stats : all) {
      long total = stats.requests.sum() + stats.throttled.sum();
      recent.put(stats, total - stats.requestsAtRebalance);
      stats.requestsAtRebalance = total;
    }
    all.sort(Comparator.comparingLong((TenantStats s) -> recent.get(s)).reversed());
    Set<TenantId> busiest = new HashSet<>();
    for (TenantStats stats : all) {
      if (busiest.size() >= taggedTenants || recent.get(stats) == 0) {
        break;
      }
      busiest.add(stats.tenant);
    }
    synchronized (tagged) {
      for (TenantId id : new ArrayList<>(tagged.keySet())) {
        if (!busiest.contains(id)) {
          TenantMeters removed = tagged.remove(id);
          if (removed != null) {
            removed.removeFrom(registry);
          }
        }
      }
      for (TenantStats stats : all) {
        if (busiest.contains(stats.tenant)) {
          tagged.computeIfAbsent(stats.tenant, id -> new TenantMeters(registry, stats.label));
        }
      }
    }
  }

  private void checkSla(TenantStats stats, TenantInfo tenant, long now) {
    long target = stats.slaTargetMs;
    if (alerts == null || target < 0) {
      return;
    }
    long due = stats.nextSlaCheck.get();
    if (now - due < 0 || !stats.nextSlaCheck.compareAndSet(due, now + slaCheckNanos)) {
      return;
    }
    if (stats.latency.recentCount(now) < slaMinRequests) {
      return;
    }
    double p95 = stats.latency.percentileMs(0.95, now);
    if (p95 > target) {
      alerts.raise(AlertKind.SLA, AlertSeverity.WARNING, tenant.id(), "sla:" + tenant.id(),
          String.format(Locale.ROOT, "Tenant '%s' p95 latency %.1f ms is above its %d ms target",
              tenant.slug().value(), p95, target));
    }
  }

  @Override
  public String toString() {
    return "MicrometerTenantMetrics[tracked=" + tracked.estimatedSize() + ", tagged=" + tagged.size() + "/"
        + taggedTenants + "]";
  }

  /** The meters of one tag value. */
  private static final class TenantMeters {
    final Counter requests;
    final Counter errors;
    final Counter throttled;
    final Timer latency;

    TenantMeters(MeterRegistry registry, String tenant) {
      requests = Counter.builder("tenancy.requests").tag("tenant", tenant)
          .description("Requests handled per tenant").register(registry);
      errors = Counter.builder("tenancy.requests.errors").tag("tenant", tenant)
          .description("Requests answered with a 5xx status").register(registry);
      throttled = Counter.builder("tenancy.requests.throttled").tag("tenant", tenant)
          .description("Requests refused by a rate limit, quota or bulkhead").register(registry);
      latency = Timer.builder("tenancy.request.latency").tag("tenant", tenant)
          .description("Request latency per tenant")
          .publishPercentiles(0.5, 0.95, 0.99)
          .register(registry);
    }

    void removeFrom(MeterRegistry registry) {
      for (Meter meter : List.<Meter>of(requests, errors, throttled, latency)) {
        registry.remove(meter);
      }
    }
  }

  /** Configures {@link MicrometerTenantMetrics}. */
  public static final class Builder {

    private @Nullable MeterRegistry registry;
    private int taggedTenants = DEFAULT_TAGGED_TENANTS;
    private long maxTrackedTenants = DEFAULT_MAX_TRACKED_TENANTS;
    private Duration window = Duration.ofMinutes(1);
    private Duration rebalanceInterval = Duration.ofMinutes(1);
    private Duration slaCheckInterval = Duration.ofSeconds(10);
    private long slaMinRequests = 20;
    private @Nullable AlertCenter alerts;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {
    }

    /**
     * @param registry where the meters go
     * @return this builder
     */
    public Builder registry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * @param count how many of the busiest tenants get their own tag value (0 puts all under {@code other})
     * @return this builder
     * @throws IllegalArgumentException if negative or above 10,000
     */
    public Builder taggedTenants(int count) {
      if (count < 0 || count > 10_000) {
        throw new IllegalArgumentException("taggedTenants must be 0 to 10000, was " + count
            + "; a tag value per tenant beyond that overwhelms most metrics back ends");
      }
      this.taggedTenants = count;
      return this;
    }

    /**
     * @param count how many tenants keep statistics for the view (the least recently active are forgotten)
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxTrackedTenants(long count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxTrackedTenants must be at least 1, was " + count);
      }
      this.maxTrackedTenants = count;
      return this;
    }

    /**
     * @param window the latency window: percentiles cover the last one to two windows (at least a second)
     * @return this builder
     * @throws IllegalArgumentException if shorter than a second
     */
    public Builder window(Duration window) {
      this.window = atLeastASecond(window, "window");
      return this;
    }

    /**
     * @param interval how often the busiest tenants are chosen again (at least a second)
     * @return this builder
     * @throws IllegalArgumentException if shorter than a second
     */
    public Builder rebalanceInterval(Duration interval) {
      this.rebalanceInterval = atLeastASecond(interval, "rebalanceInterval");
      return this;
    }

    /**
     * @param alerts where SLA breaches are raised
     * @return this builder
     */
    public Builder alerts(AlertCenter alerts) {
      this.alerts = Objects.requireNonNull(alerts, "alerts");
      return this;
    }

    /**
     * @param interval how often a tenant's p95 is compared with its target (at least a millisecond)
     * @return this builder
     * @throws IllegalArgumentException if shorter than a millisecond
     */
    public Builder slaCheckInterval(Duration interval) {
      if (Objects.requireNonNull(interval, "interval").compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("slaCheckInterval must be at least 1 ms, was " + interval);
      }
      this.slaCheckInterval = interval;
      return this;
    }

    /**
     * @param count recent requests needed before a p95 is judged (a handful of slow calls is no breach)
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder slaMinRequests(long count) {
      if (count < 1) {
        throw new IllegalArgumentException("slaMinRequests must be at least 1, was " + count);
      }
      this.slaMinRequests = count;
      return this;
    }

    /**
     * @param nanoTicker a monotonic nanosecond clock (tests move it by hand)
     * @return this builder
     */
    public Builder ticker(LongSupplier nanoTicker) {
      this.ticker = Objects.requireNonNull(nanoTicker, "nanoTicker");
      return this;
    }

    /**
     * @return the metrics
     * @throws IllegalStateException if no registry was set
     */
    public MicrometerTenantMetrics build() {
      if (registry == null) {
        throw new IllegalStateException("MicrometerTenantMetrics needs a registry(MeterRegistry)");
      }
      return new MicrometerTenantMetrics(this);
    }

    private static Duration atLeastASecond(Duration value, String name) {
      if (Objects.requireNonNull(value, name).compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(name + " must be at least a second, was " + value);
      }
      return value;
    }
  }
}
