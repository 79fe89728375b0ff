package dev.tenancy.jdbc.migration;

import dev.tenancy.jdbc.spi.MigrationStatusStore;

/** The in-memory store against the store contract. */
class InMemoryMigrationStatusStoreTest extends MigrationStatusStoreContract {

  @Override
  MigrationStatusStore store() {
    return new InMemoryMigrationStatusStore();
  }
}
