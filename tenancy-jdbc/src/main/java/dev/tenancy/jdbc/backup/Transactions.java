package dev.tenancy.jdbc.backup;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Puts a borrowed connection into the transaction mode the engine needs and back: pools such as HikariCP reset
 * changed settings on return, but a plain pool might not, and the next borrower must not inherit ours.
 */
final class Transactions implements AutoCloseable {

  private final Connection connection;
  private final boolean autoCommit;
  private final int isolation;
  private boolean done;

  private Transactions(Connection connection, int wanted) throws SQLException {
    this.connection = connection;
    this.autoCommit = connection.getAutoCommit();
    this.isolation = connection.getTransactionIsolation();
    if (!autoCommit) {
      connection.rollback(); // start clean: nothing of an earlier borrower's work may end up in our transaction
    }
    if (wanted != isolation) {
      connection.setTransactionIsolation(wanted);
    }
    if (autoCommit) {
      connection.setAutoCommit(false);
    }
  }

  /**
   * One read-only snapshot for all tables (REPEATABLE READ: on PostgreSQL every statement of the transaction sees the
   * data as of its first), with auto-commit off so the driver streams by fetch size.
   */
  static Transactions snapshot(Connection connection) throws SQLException {
    return new Transactions(connection, Connection.TRANSACTION_REPEATABLE_READ);
  }

  /** One read-committed write transaction. */
  static Transactions write(Connection connection) throws SQLException {
    return new Transactions(connection, Connection.TRANSACTION_READ_COMMITTED);
  }

  void commit() throws SQLException {
    connection.commit();
    done = true;
  }

  /** Rolls back unless committed, and restores the connection's settings. */
  @Override
  public void close() throws SQLException {
    @Nullable SQLException failure = null;
    try {
      if (!done) {
        connection.rollback();
      }
    } catch (SQLException e) {
      failure = e;
    }
    try {
      if (connection.getTransactionIsolation() != isolation) {
        connection.setTransactionIsolation(isolation);
      }
      if (autoCommit) {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
