package dev.tenancy.jdbc.usage;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when {@link JdbcUsageStore} cannot read or write its table: the database is unreachable, the table was not
 * migrated, or the DataSource lacks privileges. The cause is the driver's {@link SQLException}, whose SQLState tells
 * which.
 */
public final class UsageStoreAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the store was doing, e.g. {@code "save 12 quota usage counters of 2026-01"}
   * @param cause the driver's failure
   */
  public UsageStoreAccessException(String action, SQLException cause) {
    super("JdbcUsageStore could not " + action + " (SQLState " + cause.getSQLState() + ": " + cause.getMessage()
        + "); check that the database is reachable, that the store's migrations ran, and that its DataSource is the"
        + " platform (admin) DataSource rather than a tenant-bound one", cause);
  }

  /**
   * Creates the exception for a failure that is not the driver's (e.g. a migration tool's).
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public UsageStoreAccessException(String message, RuntimeException cause) {
    super(message, cause);
  }
}
