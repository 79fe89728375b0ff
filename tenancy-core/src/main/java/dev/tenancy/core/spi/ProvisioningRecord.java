package dev.tenancy.core.spi;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The journal of one unfinished provisioning (or deprovisioning) run, saved after every step so that a run cut short
 * by a crash can be finished or rolled back by {@code TenantService.resumeProvisioning}.
 *
 * @param tenantId the tenant being provisioned
 * @param operation what the run does
 * @param state where the run is
 * @param completedSteps the names of the steps that finished, in order
 * @param lastError the message of the last failure, or {@code null}
 * @param updatedAt when the journal was last written
 * @param targetStatus for a provisioning run, the status the tenant gets when it finishes ({@code TRIAL} or
 *     {@code ACTIVE}); {@code null} when unknown or for a deprovisioning run
 */
public record ProvisioningRecord(
    TenantId tenantId,
    Operation operation,
    State state,
    List<String> completedSteps,
    @Nullable String lastError,
    Instant updatedAt,
    @Nullable TenantStatus targetStatus) {

  /** Checks and copies. */
  public ProvisioningRecord {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(state, "state");
    completedSteps = List.copyOf(completedSteps);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** What a run does. */
  public enum Operation {
    /** Creating a tenant's resources. */
    PROVISION,
    /** Removing a tenant's resources (purge). */
    DEPROVISION
  }

  /** Where a run is. */
  public enum State {
    /** Steps are running forward. */
    RUNNING,
    /** A step failed; completed steps are being undone in reverse. */
    COMPENSATING,
    /** Undoing failed as well; an operator must look, then resume. */
    FAILED
  }
}
