package dev.tenancy.jdbc.identity;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when {@link JdbcApiKeyStore} cannot read or write its table: the database is unreachable, the table was not
 * migrated, or the DataSource lacks privileges. Authentication then fails (closed), never falls back to anything.
 */
public final class ApiKeyStoreAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the store was doing, e.g. {@code "read API key abcd1234"}
   * @param cause the driver's failure
   */
  public ApiKeyStoreAccessException(String action, SQLException cause) {
    super("JdbcApiKeyStore could not " + action + " (SQLState " + cause.getSQLState() + ": " + cause.getMessage()
        + "); check that the database is reachable, that the store's migrations ran, and that its DataSource is the"
        + " platform (admin) DataSource rather than a tenant-bound one", cause);
  }

  /**
   * Creates the exception for a failure that is not the driver's (e.g. a migration tool's).
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public ApiKeyStoreAccessException(String message, RuntimeException cause) {
    super(message, cause);
  }
}
