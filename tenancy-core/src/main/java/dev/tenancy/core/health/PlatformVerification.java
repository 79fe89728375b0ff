package dev.tenancy.core.health;

import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The report of a platform verification ({@link TenantHealthChecks#verifyPlatform()}), the last step of a disaster
 * recovery: the platform-wide checks, then every tenant the platform knows (deleted ones included), the failing ones
 * first, with counts by status.
 *
 * <pre>{@code
 * PlatformVerification report = checks.verifyPlatform();
 * log.info("{}", report);                         // one line per failing tenant and check
 * if (report.status() == HealthStatus.DOWN) { ... }   // do not reopen the platform yet
 * }</pre>
 *
 * @param startedAt when the verification started
 * @param elapsed how long it took
 * @param platform the platform-wide checks
 * @param tenants every tenant's health: {@link HealthStatus#DOWN DOWN} ones first, then
 *     {@link HealthStatus#DEGRADED DEGRADED}, then {@link HealthStatus#UP UP}; within a status in the order given
 *     (the runner gives them by slug)
 * @since 0.1.0
 */
public record PlatformVerification(Instant startedAt, Duration elapsed, PlatformHealth platform,
    List<TenantHealth> tenants) {

  private static final Comparator<TenantHealth> FAILING_FIRST =
      Comparator.comparing((TenantHealth health) -> health.status().ordinal()).reversed();

  /** Checks the parts and orders the tenants failing first (a stable sort: equal statuses keep their order). */
  public PlatformVerification {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(platform, "platform");
    List<TenantHealth> sorted = new ArrayList<>(Objects.requireNonNull(tenants, "tenants"));
    sorted.forEach(health -> Objects.requireNonNull(health, "tenant health"));
    sorted.sort(FAILING_FIRST);
    tenants = List.copyOf(sorted);
  }

  /** @return the worst of the platform's status and every tenant's status */
  public HealthStatus status() {
    HealthStatus worst = platform.status();
    for (TenantHealth health : tenants) {
      worst = worst.worse(health.status());
    }
    return worst;
  }

  /** @return how many tenants are in each status; every status is a key, with 0 when none is in it */
  public Map<HealthStatus, Integer> counts() {
    Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
    for (HealthStatus status : HealthStatus.values()) {
      counts.put(status, 0);
    }
    tenants.forEach(health -> counts.merge(health.status(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** @return the tenants that are not {@link HealthStatus#UP UP}, failing first */
  public List<TenantHealth> failing() {
    return tenants.stream().filter(health -> health.status() != HealthStatus.UP).toList();
  }

  /**
   * @param tenant a tenant's id
   * @return that tenant's health, or empty if it was not verified
   */
  public Optional<TenantHealth> tenant(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return tenants.stream().filter(health -> health.tenant().equals(tenant)).findFirst();
  }

  /**
   * A report for people: a summary line, then one line per platform check and per failing tenant's failing check.
   *
   * @return several lines
   */
  @Override
  public String toString() {
    Map<HealthStatus, Integer> counts = counts();
    StringBuilder text = new StringBuilder("Platform verification: ").append(status()).append(" (")
        .append(tenants.size()).append(tenants.size() == 1 ? " tenant: " : " tenants: ")
        .append(counts.get(HealthStatus.UP)).append(" UP, ").append(counts.get(HealthStatus.DEGRADED))
        .append(" DEGRADED, ").append(counts.get(HealthStatus.DOWN)).append(" DOWN; platform checks ")
        .append(platform.status()).append("; ").append(elapsed.toMillis()).append(" ms)");
    platform.checks().forEach((name, result) -> line(text, "platform", name, result));
    for (TenantHealth health : failing()) {
      String who = health.slug() + " " + health.tenant() + " (" + health.tenantStatus() + ")";
      health.checks().forEach((name, result) -> {
        if (result.status() != HealthStatus.UP) {
          line(text, who, name, result);
        }
      });
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String who, String check, CheckResult result) {
    text.append(System.lineSeparator()).append("  ").append(result.status()).append(' ').append(who).append(' ')
        .append(check).append(": ").append(result.detail());
  }
}
