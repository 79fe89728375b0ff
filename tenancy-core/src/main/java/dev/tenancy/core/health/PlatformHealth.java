package dev.tenancy.core.health;

import java.util.Map;
import java.util.Objects;

/**
 * The results of the platform-wide form of the checks (those that look across tenants: rows owned by no tenant, the
 * isolation set-up, the KEK, the platform's own audit chain), as {@code GET /api/v1/admin/health} returns them.
 *
 * @param status the worst status among the checks, {@link HealthStatus#UP UP} if there are none
 * @param checks each check's result by check name, in the order the checks were registered; checks without a
 *     platform-wide form are absent
 * @since 0.1.0
 */
public record PlatformHealth(HealthStatus status, Map<String, CheckResult> checks) {

  /**
   * Checks the parts and copies the results, keeping their order.
   *
   * @throws IllegalArgumentException if {@code status} is not the worst of the checks' statuses
   */
  public PlatformHealth {
    Objects.requireNonNull(status, "status");
    checks = TenantHealth.copy(checks);
    HealthStatus worst = HealthStatus.worst(checks.values().stream().map(CheckResult::status).toList());
    if (status != worst) {
      throw new IllegalArgumentException("the platform's status is the worst of its checks, " + worst + ", not "
          + status);
    }
  }

  /**
   * @param checks each check's result by check name
   * @return the health, with the worst status of the checks
   */
  public static PlatformHealth of(Map<String, CheckResult> checks) {
    Map<String, CheckResult> copy = TenantHealth.copy(checks);
    return new PlatformHealth(HealthStatus.worst(copy.values().stream().map(CheckResult::status).toList()), copy);
  }
}
