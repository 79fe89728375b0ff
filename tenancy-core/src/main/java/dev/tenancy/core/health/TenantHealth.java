package dev.tenancy.core.health;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tenant's health: every check's result and the worst of them, as
 * {@code GET /api/v1/admin/tenants/{id}/health} returns it ({@code {"status": …, "checks": {…}}}).
 *
 * @param tenant the tenant's id
 * @param slug the tenant's slug
 * @param tenantStatus the tenant's lifecycle status when it was checked (a {@code DELETED} tenant is checked too: its
 *     data must stay gone)
 * @param status the worst status among the checks, {@link HealthStatus#UP UP} if there are none
 * @param checks each check's result by check name, in the order the checks were registered
 * @since 0.1.0
 */
public record TenantHealth(TenantId tenant, TenantSlug slug, TenantStatus tenantStatus, HealthStatus status,
    Map<String, CheckResult> checks) {

  /**
   * Checks the parts and copies the results, keeping their order.
   *
   * @throws IllegalArgumentException if {@code status} is not the worst of the checks' statuses
   */
  public TenantHealth {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(tenantStatus, "tenantStatus");
    Objects.requireNonNull(status, "status");
    checks = copy(checks);
    HealthStatus worst = HealthStatus.worst(checks.values().stream().map(CheckResult::status).toList());
    if (status != worst) {
      throw new IllegalArgumentException("a tenant's status is the worst of its checks, " + worst + ", not "
          + status);
    }
  }

  /**
   * Sums up the results of one tenant's checks.
   *
   * @param tenant the tenant checked
   * @param checks each check's result by check name
   * @return the health, with the worst status of the checks
   */
  public static TenantHealth of(Tenant tenant, Map<String, CheckResult> checks) {
    Objects.requireNonNull(tenant, "tenant");
    Map<String, CheckResult> copy = copy(checks);
    return new TenantHealth(tenant.id(), tenant.slug(), tenant.status(),
        HealthStatus.worst(copy.values().stream().map(CheckResult::status).toList()), copy);
  }

  /**
   * @param name a check's name
   * @return that check's result
   * @throws IllegalArgumentException if no check of that name ran
   */
  public CheckResult check(String name) {
    CheckResult result = checks.get(Objects.requireNonNull(name, "name"));
    if (result == null) {
      throw new IllegalArgumentException("no check named '" + name + "' ran; the checks were " + checks.keySet());
    }
    return result;
  }

  static Map<String, CheckResult> copy(Map<String, CheckResult> checks) {
    Objects.requireNonNull(checks, "checks");
    Map<String, CheckResult> copy = new LinkedHashMap<>();
    checks.forEach((name, result) -> copy.put(Objects.requireNonNull(name, "check name"),
        Objects.requireNonNull(result, "result")));
    return Collections.unmodifiableMap(copy);
  }
}
