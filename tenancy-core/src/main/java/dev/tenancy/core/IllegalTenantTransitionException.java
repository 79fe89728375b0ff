package dev.tenancy.core;

import java.util.Objects;

/**
 * Thrown when a status change is not in {@link TenantStatus}'s transition table, e.g. {@code CANCELLED → ACTIVE}.
 */
public final class IllegalTenantTransitionException extends TenantConflictException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenantId;
  private final TenantStatus from;
  private final TenantStatus to;

  /**
   * Creates the exception.
   *
   * @param tenantId the tenant whose status was to change
   * @param from its current status
   * @param to the refused target status
   */
  public IllegalTenantTransitionException(TenantId tenantId, TenantStatus from, TenantStatus to) {
    super("Tenant " + tenantId + " cannot move from " + from + " to " + to + "; allowed from " + from + ": "
        + (from.allowedTransitions().isEmpty() ? "none (terminal status)" : from.allowedTransitions()));
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.from = from;
    this.to = to;
  }

  /** @return the tenant whose status was to change */
  public TenantId tenantId() {
    return tenantId;
  }

  /** @return the status the tenant is in */
  public TenantStatus from() {
    return from;
  }

  /** @return the refused target status */
  public TenantStatus to() {
    return to;
  }
}
