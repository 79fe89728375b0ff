package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when {@link JdbcTenantKeyStore} cannot read or write its table: the database is unreachable, the table was
 * not migrated, or the DataSource lacks privileges. Encryption and decryption then fail (closed); nothing falls back
 * to another key. The message names the tenant and version, never key bytes.
 */
public final class KeyStoreAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the store was doing, e.g. {@code "read data key version 3 of tenant …"}
   * @param cause the driver's failure
   */
  public KeyStoreAccessException(String action, SQLException cause) {
    super("JdbcTenantKeyStore could not " + action + " (SQLState " + cause.getSQLState() + ": " + cause.getMessage()
        + "); check that the database is reachable, that the store's migrations ran, and that its DataSource is the"
        + " platform (admin) DataSource rather than a tenant-bound one", cause);
  }

  /**
   * Creates the exception for a failure that is not the driver's (e.g. a migration tool's).
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public KeyStoreAccessException(String message, RuntimeException cause) {
    super(message, cause);
  }
}
