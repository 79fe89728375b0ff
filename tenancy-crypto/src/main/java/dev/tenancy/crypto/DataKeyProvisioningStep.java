package dev.tenancy.crypto;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.spi.ProvisioningStep;
import java.util.Objects;

/**
 * The provisioning step named {@code data-key}: creating a tenant gives it its first data key; removing or purging it
 * destroys every key version (crypto-shredding), which is what makes the tenant's data unreadable in backups too.
 * Register it after the steps that create storage, so a purge shreds before anything else is dropped.
 *
 * @since 0.1.0
 */
public final class DataKeyProvisioningStep implements ProvisioningStep {

  private final TenantKeys keys;

  /**
   * @param keys the tenant key manager
   */
  public DataKeyProvisioningStep(TenantKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public String name() {
    return "data-key";
  }

  @Override
  public void provision(Tenant tenant) {
    keys.create(tenant.id());
  }

  @Override
  public void deprovision(Tenant tenant) {
    keys.destroy(tenant.id());
  }
}
