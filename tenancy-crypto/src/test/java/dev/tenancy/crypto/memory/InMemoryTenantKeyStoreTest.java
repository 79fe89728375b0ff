package dev.tenancy.crypto.memory;

import dev.tenancy.core.TenancyException;
import dev.tenancy.crypto.DataKeyConflictException;
import dev.tenancy.crypto.spi.TenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStoreCompatibilityKit;

/** The in-memory store passes the same kit as the JDBC store. */
class InMemoryTenantKeyStoreTest extends TenantKeyStoreCompatibilityKit {

  @Override
  protected TenantKeyStore newStore() {
    return new InMemoryTenantKeyStore();
  }

  @Override
  protected Class<? extends TenancyException> duplicateVersionException() {
    return DataKeyConflictException.class;
  }

  @Override
  protected Class<? extends TenancyException> unknownVersionException() {
    return DataKeyConflictException.class;
  }
}
