package dev.tenancy.crypto;

import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown when a tenant has no data key at all: its keys were destroyed (crypto-shredded), or it was never given one
 * (add {@link DataKeyProvisioningStep} to the tenant service, or call {@link TenantKeys#create}). Keys are never
 * created implicitly on encryption, so a shredded tenant cannot come back to life by accident.
 *
 * @since 0.1.0
 */
public final class TenantKeysDestroyedException extends TenantCryptoException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant without keys
   */
  public TenantKeysDestroyedException(TenantId tenant) {
    super("Tenant " + tenant + " has no data keys: they were destroyed (crypto-shredded) or never created; "
        + "provision the tenant with DataKeyProvisioningStep or call TenantKeys.create");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
  }

  /** @return the tenant without keys */
  public TenantId tenant() {
    return tenant;
  }
}
