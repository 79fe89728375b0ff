package dev.tenancy.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a tenant is in its life, with the only transitions allowed between statuses.
 *
 * <pre>
 *   PROVISIONING → TRIAL | ACTIVE | DELETED
 *   TRIAL        → ACTIVE | SUSPENDED | CANCELLED
 *   ACTIVE       → SUSPENDED | CANCELLED
 *   SUSPENDED    → ACTIVE | TRIAL | CANCELLED
 *   CANCELLED    → DELETED
 *   DELETED      → (terminal)
 * </pre>
 *
 * <p>Cancellation is one-way on purpose: a cancelled tenant waits out its retention period and is purged; it never
 * silently comes back to serve requests. Only {@link #TRIAL} and {@link #ACTIVE} serve requests.
 */
public enum TenantStatus {
  /** Resources are being created; never serves requests. */
  PROVISIONING,
  /** Serving on a trial. */
  TRIAL,
  /** Serving, paid. */
  ACTIVE,
  /** Refused at the door (e.g. unpaid, abuse); data kept. */
  SUSPENDED,
  /** Refused; data kept until the retention period ends, then purged. */
  CANCELLED,
  /** Purged: data erased, keys shredded; the record stays as a tombstone. */
  DELETED;

  private Set<TenantStatus> allowed = Set.of();

  static {
    PROVISIONING.allowed = immutable(EnumSet.of(TRIAL, ACTIVE, DELETED));
    TRIAL.allowed = immutable(EnumSet.of(ACTIVE, SUSPENDED, CANCELLED));
    ACTIVE.allowed = immutable(EnumSet.of(SUSPENDED, CANCELLED));
    SUSPENDED.allowed = immutable(EnumSet.of(ACTIVE, TRIAL, CANCELLED));
    CANCELLED.allowed = immutable(EnumSet.of(DELETED));
    DELETED.allowed = immutable(EnumSet.noneOf(TenantStatus.class));
  }

  private static Set<TenantStatus> immutable(EnumSet<TenantStatus> set) {
    return Collections.unmodifiableSet(set);
  }

  /**
   * The statuses this one may move to.
   *
   * @return an unmodifiable set, empty for {@link #DELETED}
   */
  public Set<TenantStatus> allowedTransitions() {
    return allowed;
  }

  /**
   * Tells whether moving to {@code target} is allowed. Staying in the same status is not a transition.
   *
   * @param target the status to move to
   * @return {@code true} if the table allows it
   */
  public boolean canTransitionTo(TenantStatus target) {
    return allowed.contains(target);
  }

  /**
   * Checks a transition and throws if it is not allowed.
   *
   * @param tenantId the tenant, for the message
   * @param target the status to move to
   * @return {@code target}
   * @throws IllegalTenantTransitionException if the table does not allow it
   */
  public TenantStatus requireTransitionTo(TenantId tenantId, TenantStatus target) {
    if (!canTransitionTo(target)) {
      throw new IllegalTenantTransitionException(tenantId, this, target);
    }
    return target;
  }

  /**
   * Tells whether a tenant in this status may serve requests.
   *
   * @return {@code true} for {@link #TRIAL} and {@link #ACTIVE}
   */
  public boolean isServing() {
    return this == TRIAL || this == ACTIVE;
  }
}
