package dev.tenancy.test;

import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.spi.ApiKeyStore;

/** Our in-memory store keeps every promise of {@link ApiKeyStoreCompatibilityKit}. */
class InMemoryApiKeyStoreCompatibilityTest extends ApiKeyStoreCompatibilityKit {

  @Override
  protected ApiKeyStore newStore() {
    return new InMemoryApiKeyStore();
  }
}
