package dev.tenancy.core.spi;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.health.CheckResult;
import java.util.List;
import java.util.Optional;

/**
 * One health check: looks at one tenant's data, keys or trail and says whether it is sound. The same checks serve the
 * admin API ({@code GET /api/v1/admin/tenants/{id}/health}, {@code GET /api/v1/admin/health}) and the verification
 * after a platform restore; {@code dev.tenancy.core.health.TenantHealthChecks} runs them.
 *
 * <p>A check is called for every tenant the platform knows, in every lifecycle status: a {@code DELETED} tenant's
 * data, keys and trail must stay gone, and a check should say so ({@code UP}) or report what a restore brought back.
 * It runs inside the tenant's scope ({@code TenantContext.require()} is the tenant), on a thread of the runner, with a
 * time limit: it should answer within seconds and stop when interrupted. It must be thread-safe: several tenants are
 * checked at once.
 *
 * <p>A result must never hold another tenant's data or any secret; see {@link CheckResult}. A check that throws is
 * reported as {@code DOWN} with the exception's class only (the exception itself is logged), so throwing is the right
 * answer to "I could not look" — not to "I looked and found a problem", which deserves a result that says what to do.
 *
 * <pre>{@code
 * final class InvoiceSequenceCheck implements TenantHealthCheck {
 *   public String name() { return "invoice-sequence"; }
 *   public CheckResult check(Tenant tenant) {
 *     long gaps = invoices.countGaps();   // a tenant-bound query: the runner opened the tenant's scope
 *     return gaps == 0 ? CheckResult.up("invoice numbers are contiguous")
 *         : CheckResult.degraded(gaps + " gaps in invoice numbers").withFact("gaps", gaps);
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface TenantHealthCheck {

  /**
   * A stable name: the key of this check's result in the admin API's {@code checks} object.
   *
   * @return lower-case letters, digits and hyphens, starting with a letter, e.g. {@code audit-chain}
   */
  String name();

  /**
   * Checks one tenant. Runs inside the tenant's scope.
   *
   * @param tenant the tenant, as stored (its status tells a live tenant from a purged one)
   * @return what was found
   * @throws Exception if the check could not look (reported as {@code DOWN})
   */
  CheckResult check(Tenant tenant) throws Exception;

  /**
   * Checks what belongs to no single tenant: data owned by no tenant the platform knows, the isolation set-up, the
   * key-encryption key, the platform's own audit chain. Runs with no tenant in scope; a check that reads across
   * tenants opens {@code TenantContext.asPlatform} itself.
   *
   * @param tenants every tenant the platform knows, deleted ones included
   * @return what was found, or empty if this check has no platform-wide form (the default)
   * @throws Exception if the check could not look (reported as {@code DOWN})
   * @since 0.1.0
   */
  default Optional<CheckResult> checkPlatform(List<Tenant> tenants) throws Exception {
    return Optional.empty();
  }
}
