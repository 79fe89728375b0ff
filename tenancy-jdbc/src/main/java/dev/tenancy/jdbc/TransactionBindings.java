package dev.tenancy.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transaction-local binding for {@link RowLevelSecurity}: connections with auto-commit off, bound with
 * {@code set_config(setting, tenant, true)} when the first statement of each transaction is created.
 */
final class TransactionBindings {

  private final LongAdder checkouts = new LongAdder();
  private final LongAdder statements = new LongAdder();

  Connection open(Connection pooled, String value, String setting) throws SQLException {
    checkouts.increment();
    try {
      pooled.setAutoCommit(false);
      return new TransactionBoundConnection(pooled, value, setting, statements);
    } catch (SQLException | RuntimeException e) {
      SessionBindings.closeQuietly(pooled, e);
      throw e;
    }
  }

  BindingStatistics statistics() {
    return new BindingStatistics(checkouts.sum(), statements.sum(), 0);
  }

  /** Binds lazily at the start of each transaction; a commit or rollback ends the binding with the transaction. */
  private static final class TransactionBoundConnection extends ForwardingConnection {
    private final String value;
    private final String setting;
    private final LongAdder statements;
    private boolean boundInThisTransaction;

    TransactionBoundConnection(Connection delegate, String value, String setting, LongAdder statements) {
      super(delegate);
      this.value = value;
      this.setting = setting;
      this.statements = statements;
    }

    private void bindIfNeeded() throws SQLException {
      if (boundInThisTransaction) {
        return;
      }
      try (PreparedStatement statement = delegate.prepareStatement("select set_config(?, ?, true)")) {
        statement.setString(1, setting);
        statement.setString(2, value);
        statement.execute();
      }
      statements.increment();
      boundInThisTransaction = true;
    }

    @Override
    public Statement createStatement() throws SQLException {
      bindIfNeeded();
      return delegate.createStatement();
    }

    @Override
    public Statement createStatement(int a, int b) throws SQLException {
      bindIfNeeded();
      return delegate.createStatement(a, b);
    }

    @Override
    public Statement createStatement(int a, int b, int c) throws SQLException {
      bindIfNeeded();
      return delegate.createStatement(a, b, c);
    }

    @Override
    public PreparedStatement prepareStatement(String a) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int[] b) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, String[] b) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a, b);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b, int c) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a, b, c);
    }

    @Override
    public PreparedStatement prepareStatement(String a, int b, int c, int d) throws SQLException {
      bindIfNeeded();
      return delegate.prepareStatement(a, b, c, d);
    }

    @Override
    public CallableStatement prepareCall(String a) throws SQLException {
      bindIfNeeded();
      return delegate.prepareCall(a);
    }

    @Override
    public CallableStatement prepareCall(String a, int b, int c) throws SQLException {
      bindIfNeeded();
      return delegate.prepareCall(a, b, c);
    }

    @Override
    public CallableStatement prepareCall(String a, int b, int c, int d) throws SQLException {
      bindIfNeeded();
      return delegate.prepareCall(a, b, c, d);
    }

    @Override
    public void commit() throws SQLException {
      boundInThisTransaction = false;
      delegate.commit();
    }

    @Override
    public void rollback() throws SQLException {
      boundInThisTransaction = false;
      delegate.rollback();
    }

    @Override
    public void rollback(Savepoint a) throws SQLException {
      // The binding may have been made after the savepoint; re-bind before the next statement to be sure.
      boundInThisTransaction = false;
      delegate.rollback(a);
    }

    @Override
    public void setAutoCommit(boolean a) throws SQLException {
      if (a) {
        throw new SQLNonTransientConnectionException("Transaction-local tenant binding needs auto-commit off: "
            + "outside a transaction no tenant would be bound. Run the work in a transaction, or use session binding",
            "25000");
      }
      delegate.setAutoCommit(false);
    }

    @Override
    public void close() throws SQLException {
      boundInThisTransaction = false;
      delegate.close();
    }
  }
}
