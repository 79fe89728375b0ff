package dev.tenancy.core;

import java.util.Objects;

/**
 * Thrown when an update carries an expected version that no longer matches the stored tenant: someone else changed it
 * first. Re-read the tenant and apply the change again.
 */
public final class ConcurrentTenantModificationException extends TenantConflictException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenantId;
  private final long expectedVersion;
  private final long actualVersion;

  /**
   * Creates the exception.
   *
   * @param tenantId the tenant whose update lost the race
   * @param expectedVersion the version the caller based its change on
   * @param actualVersion the version now stored
   */
  public ConcurrentTenantModificationException(TenantId tenantId, long expectedVersion, long actualVersion) {
    super("Tenant " + tenantId + " was modified concurrently: expected version " + expectedVersion + " but it is now "
        + actualVersion + "; re-read the tenant and retry the change");
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  /** @return the tenant whose update lost the race */
  public TenantId tenantId() {
    return tenantId;
  }

  /** @return the version the caller based its change on */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** @return the version now stored */
  public long actualVersion() {
    return actualVersion;
  }
}
