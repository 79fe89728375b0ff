package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenancyException;
import java.sql.SQLException;

/**
 * Thrown when {@link JdbcShardDirectory} cannot read or write its table: the database is unreachable, the table was
 * not migrated, or the DataSource lacks privileges. The cause is the driver's {@link SQLException}, whose SQLState
 * tells which. A tenant whose shard cannot be read gets no connection: the directory never guesses.
 */
public final class ShardDirectoryAccessException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param action what the directory was doing, e.g. {@code "move tenant 7f0c… from 'shared' to 'dedicated'"}
   * @param cause the driver's failure
   */
  public ShardDirectoryAccessException(String action, SQLException cause) {
    super("JdbcShardDirectory could not " + action + " (SQLState " + cause.getSQLState() + ": " + cause.getMessage()
        + "); check that the database is reachable, that the directory's migrations ran, and that its DataSource is"
        + " the platform (admin) DataSource rather than a tenant-bound one", cause);
  }

  /**
   * Creates the exception for a failure that is not the driver's (e.g. a migration tool's).
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public ShardDirectoryAccessException(String message, RuntimeException cause) {
    super(message, cause);
  }
}
