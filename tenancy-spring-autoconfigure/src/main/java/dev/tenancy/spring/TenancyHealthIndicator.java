package dev.tenancy.spring;

import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.core.health.PlatformVerification;
import dev.tenancy.core.health.TenantHealth;
import dev.tenancy.core.health.TenantHealthChecks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The Actuator health indicator {@code tenancy}: every {@code TenantHealthCheck} of every tenant, plus the
 * platform-wide checks, through {@link TenantHealthChecks#verifyPlatform()}.
 *
 * <p>{@code DOWN} when anything is down; {@code DEGRADED} (a status of its own, which Spring Boot's default order
 * leaves out of the aggregate, so it does not take the application out of service) when someone must look; else
 * {@code UP}. The details hold counts by status, the platform checks and at most {@code tenancy.health.max-details}
 * unhealthy tenants, failing ones first, so ten thousand tenants do not make a ten-thousand-entry response. A run
 * checks every tenant, so its result answers for {@code tenancy.health.time-to-live}.
 */
public final class TenancyHealthIndicator implements HealthIndicator {

  /** The status reported when some tenant or platform check is {@link HealthStatus#DEGRADED}. */
  public static final Status DEGRADED = new Status("DEGRADED", "some tenant or platform check needs attention");

  private static final Logger LOG = LoggerFactory.getLogger(TenancyHealthIndicator.class);

  private final TenantHealthChecks checks;
  private final int maxDetails;
  private final long timeToLiveNanos;
  private final LongSupplier nanoTime;
  private final Object lock = new Object();
  private @Nullable Health last;
  private long lastAt;

  /**
   * @param checks the checks to run
   * @param maxDetails the most unhealthy tenants named in the details, at least 0
   * @param timeToLive how long one run answers, zero to run on every call
   */
  public TenancyHealthIndicator(TenantHealthChecks checks, int maxDetails, Duration timeToLive) {
    this(checks, maxDetails, timeToLive, System::nanoTime);
  }

  TenancyHealthIndicator(TenantHealthChecks checks, int maxDetails, Duration timeToLive, LongSupplier nanoTime) {
    this.checks = Objects.requireNonNull(checks, "checks");
    if (maxDetails < 0) {
      throw new IllegalArgumentException("tenancy.health.max-details must not be negative, was " + maxDetails);
    }
    if (Objects.requireNonNull(timeToLive, "timeToLive").isNegative()) {
      throw new IllegalArgumentException("tenancy.health.time-to-live must not be negative, was " + timeToLive);
    }
    this.maxDetails = maxDetails;
    this.timeToLiveNanos = timeToLive.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public Health health() {
    // One run at a time: concurrent probes wait for the run in progress instead of starting their own.
    synchronized (lock) {
      long now = nanoTime.getAsLong();
      if (last != null && now - lastAt < timeToLiveNanos) {
        return last;
      }
      Health health = run();
      last = health;
      lastAt = now;
      return health;
    }
  }

  private Health run() {
    PlatformVerification report;
    try {
      report = checks.verifyPlatform();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().withDetail("error", "interrupted while the checks ran").build();
    } catch (RuntimeException e) {
      // The message may hold data (a SQL statement, a tenant's name): it goes to the log, only the class is shown.
      LOG.warn("the tenancy health checks could not run", e);
      return Health.down().withDetail("error", e.getClass().getName()).build();
    }
    return describe(report);
  }

  private Health describe(PlatformVerification report) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    report.counts().forEach((status, count) -> counts.put(status.name(), count));
    List<TenantHealth> failing = report.failing();
    List<Map<String, Object>> shown = failing.stream().limit(maxDetails).map(TenancyHealthIndicator::tenant).toList();
    return Health.status(status(report.status()))
        .withDetail("checks", checks.names())
        .withDetail("tenants", counts)
        .withDetail("platform", results(report.platform().checks(), false))
        .withDetail("unhealthy", shown)
        .withDetail("unhealthyNotShown", failing.size() - shown.size())
        .withDetail("checkedAt", report.startedAt().toString())
        .withDetail("elapsedMillis", report.elapsed().toMillis())
        .build();
  }

  private static Map<String, Object> tenant(TenantHealth health) {
    Map<String, Object> tenant = new LinkedHashMap<>();
    tenant.put("id", health.tenant().toString());
    tenant.put("slug", health.slug().value());
    tenant.put("tenantStatus", health.tenantStatus().name());
    tenant.put("status", health.status().name());
    tenant.put("checks", results(health.checks(), true));
    return tenant;
  }

  private static Map<String, Object> results(Map<String, CheckResult> results, boolean failingOnly) {
    Map<String, Object> byName = new LinkedHashMap<>();
    results.forEach((name, result) -> {
      if (!failingOnly || result.status() != HealthStatus.UP) {
        byName.put(name, Map.of("status", result.status().name(), "detail", result.detail()));
      }
    });
    return byName;
  }

  private static Status status(HealthStatus status) {
    return switch (status) {
      case UP -> Status.UP;
      case DEGRADED -> DEGRADED;
      case DOWN -> Status.DOWN;
    };
  }
}
