package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when reading or writing a tenant's rows fails in the database: unreachable, missing privileges, a constraint
 * the copied rows violate. Whatever the engine was writing in that transaction is rolled back.
 *
 * @since 0.1.0
 */
public final class TenantDataAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the engine was doing, e.g. {@code "read table orders of tenant 5f0c…"}
   * @param cause the driver's failure
   */
  public TenantDataAccessException(String action, SQLException cause) {
    super("Could not " + action + " (SQLState " + cause.getSQLState() + ": " + cause.getMessage() + "); check that "
        + "the database is reachable, that the data source's role may read (and, for a target, write) the tenant's "
        + "tables, and that source and target have the same tables", cause);
  }
}
