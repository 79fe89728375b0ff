package dev.tenancy.jdbc.store;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import java.sql.Connection;
import java.sql.SQLException;

/** The databases the store runs on, and the little SQL that differs between them. */
enum Dialect {
  /** PostgreSQL 14+: change notifications through LISTEN/NOTIFY. */
  POSTGRESQL,
  /** H2 2.x: embedded use; the cache relies on its TTL alone. */
  H2;

  /**
   * Recognises the database behind a connection.
   *
   * @param connection an open connection
   * @return its dialect
   * @throws SQLException if the metadata cannot be read
   * @throws TenancyConfigurationException for a database the store does not support
   */
  static Dialect of(Connection connection) throws SQLException {
    return valueOf(LibraryMigrations.detect(connection, "JdbcTenantStore", "TenantStore").name());
  }

  /** @return the Flyway location of this database's migrations of the store's tables */
  String migrationLocation() {
    return "classpath:dev/tenancy/jdbc/migration/" + LibraryMigrations.Database.valueOf(name()).folder();
  }

  /**
   * The statement that inserts or replaces a provisioning journal entry. Parameters: tenant_id, operation, state,
   * completed_steps, last_error, updated_at, target_status.
   *
   * @param table the qualified table name
   * @return the SQL
   */
  String upsertProvisioningRecord(String table) {
    if (this == POSTGRESQL) {
      // ON CONFLICT rather than MERGE: MERGE arrived only in PostgreSQL 15, and we support 14.
      return "INSERT INTO " + table + " (tenant_id, operation, state, completed_steps, last_error, updated_at,"
          + " target_status) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET"
          + " operation = EXCLUDED.operation, state = EXCLUDED.state, completed_steps = EXCLUDED.completed_steps,"
          + " last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at,"
          + " target_status = EXCLUDED.target_status";
    }
    return "MERGE INTO " + table + " (tenant_id, operation, state, completed_steps, last_error, updated_at,"
        + " target_status) KEY (tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
  }
}
