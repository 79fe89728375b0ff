package dev.tenancy.test;

import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.TenantStore;

/** Our in-memory store keeps every promise of {@link TenantStoreCompatibilityKit}. */
class InMemoryTenantStoreCompatibilityTest extends TenantStoreCompatibilityKit {

  @Override
  protected TenantStore newStore() {
    return new InMemoryTenantStore();
  }
}
