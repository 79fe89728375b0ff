package dev.tenancy.jdbc.migration;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when {@link JdbcMigrationStatusStore} cannot read or write its table: the database is unreachable, the table
 * was not migrated, or the DataSource lacks privileges. A migration run that meets it stops, because it could no
 * longer record — or claim — what it does.
 */
public final class MigrationStatusStoreAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the store was doing, e.g. {@code "claim tenant_acme"}
   * @param cause the driver's failure
   */
  public MigrationStatusStoreAccessException(String action, SQLException cause) {
    super("JdbcMigrationStatusStore could not " + action + " (SQLState " + cause.getSQLState() + ": "
        + cause.getMessage() + "); check that the database is reachable, that the store's migrations ran, and that"
        + " its DataSource is the platform (admin) DataSource rather than a tenant-bound one", cause);
  }

  /**
   * Creates the exception for a failure that is not the driver's (e.g. a migration tool's).
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public MigrationStatusStoreAccessException(String message, RuntimeException cause) {
    super(message, cause);
  }
}
