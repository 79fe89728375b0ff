package dev.tenancy.core.lifecycle;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.ProvisioningRecord;

/**
 * Thrown when a provisioning step fails while a tenant is created, or a deprovisioning step fails while it is purged.
 *
 * <p>If {@link #rolledBack()} is {@code true}, every step that had run was undone and the tenant record removed:
 * nothing was left behind, and the same slug can be used again. Otherwise the run is stuck with a {@code FAILED}
 * journal — the tenant never serves requests in that state — and an operator fixes the cause and calls
 * {@link TenantService#resumeProvisioning}.
 */
public final class ProvisioningFailedException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenantId;
  private final TenantSlug slug;
  private final ProvisioningRecord.Operation operation;
  private final String step;
  private final boolean rolledBack;

  private ProvisioningFailedException(String message, TenantId tenantId, TenantSlug slug,
      ProvisioningRecord.Operation operation, String step, boolean rolledBack, Throwable cause) {
    super(message, cause);
    this.tenantId = tenantId;
    this.slug = slug;
    this.operation = operation;
    this.step = step;
    this.rolledBack = rolledBack;
  }

  /** A provisioning step failed and everything was undone. */
  static ProvisioningFailedException rolledBack(TenantId id, TenantSlug slug, String step, Throwable cause) {
    return new ProvisioningFailedException("Creating tenant '" + slug + "' failed at provisioning step '" + step
        + "': " + describe(cause) + ". Every step that had run was undone and the tenant record removed, so "
        + "nothing was left behind; fix the cause and create the tenant again",
        id, slug, ProvisioningRecord.Operation.PROVISION, step, true, cause);
  }

  /** A provisioning step failed, and undoing a step failed too. */
  static ProvisioningFailedException stuck(TenantId id, TenantSlug slug, String step, String undoStep,
      Throwable cause) {
    return new ProvisioningFailedException("Creating tenant '" + slug + "' (" + id + ") failed at provisioning step '"
        + step + "', and undoing step '" + undoStep + "' failed as well: the tenant stays PROVISIONING (it serves "
        + "no requests) with a FAILED provisioning journal. Fix the cause, then call "
        + "TenantService.resumeProvisioning(" + id + ", ROLL_BACK) — or FINISH to complete it",
        id, slug, ProvisioningRecord.Operation.PROVISION, step, false, cause);
  }

  /** Resuming with a roll-back failed while undoing a step. */
  static ProvisioningFailedException rollBackStuck(TenantId id, TenantSlug slug, String undoStep, Throwable cause) {
    return new ProvisioningFailedException("Rolling back the provisioning of tenant '" + slug + "' (" + id
        + ") failed while undoing step '" + undoStep + "': " + describe(cause) + ". The tenant stays PROVISIONING "
        + "(it serves no requests) with a FAILED provisioning journal; fix the cause, then call "
        + "TenantService.resumeProvisioning(" + id + ", ROLL_BACK) again",
        id, slug, ProvisioningRecord.Operation.PROVISION, undoStep, false, cause);
  }

  /** A deprovisioning step failed during a purge. */
  static ProvisioningFailedException purgeStuck(TenantId id, TenantSlug slug, String step, Throwable cause) {
    return new ProvisioningFailedException("Purging tenant '" + slug + "' (" + id + ") failed at step '" + step
        + "': " + describe(cause) + ". The tenant stays CANCELLED (it serves no requests) with a FAILED "
        + "deprovisioning journal; fix the cause, then call TenantService.resumeProvisioning(" + id + ", FINISH)",
        id, slug, ProvisioningRecord.Operation.DEPROVISION, step, false, cause);
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
  }

  /** @return the tenant whose run failed */
  public TenantId tenantId() {
    return tenantId;
  }

  /** @return the slug of the tenant whose run failed */
  public TenantSlug slug() {
    return slug;
  }

  /** @return whether the failure happened while provisioning or while purging */
  public ProvisioningRecord.Operation operation() {
    return operation;
  }

  /** @return the name of the step that failed */
  public String step() {
    return step;
  }

  /** @return {@code true} if everything was undone and nothing was left behind */
  public boolean rolledBack() {
    return rolledBack;
  }
}
