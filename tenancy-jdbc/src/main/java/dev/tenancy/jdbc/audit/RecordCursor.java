package dev.tenancy.jdbc.audit;

import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.core.audit.AuditStorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records read from an open result set one fetch at a time, so a chain of millions streams in constant memory. The
 * cursor holds its connection until {@link #close()}, which the stream's {@code close()} calls: the connection goes
 * back to the pool then, not when the last row was read.
 */
final class RecordCursor extends Spliterators.AbstractSpliterator<AuditRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(RecordCursor.class);

  private final Connection connection;
  private final boolean autoCommit;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final String chain;
  private boolean closed;

  private RecordCursor(Connection connection, boolean autoCommit, PreparedStatement statement, ResultSet rows,
      String chain) {
    super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
    this.connection = connection;
    this.autoCommit = autoCommit;
    this.statement = statement;
    this.rows = rows;
    this.chain = chain;
  }

  /**
   * Opens a stream over a query's {@code (sequence, record)} rows. On failure everything opened so far is closed.
   *
   * @param connection a connection the stream takes over
   * @param sql the query
   * @param fetchSize rows per round trip
   * @param chain the chain, for messages
   * @param binder binds the query's parameters
   * @return the stream; closing it closes the connection
   * @throws SQLException if the query cannot be run
   */
  static Stream<AuditRecord> open(Connection connection, String sql, int fetchSize, String chain, Binder binder)
      throws SQLException {
    boolean autoCommit;
    try {
      autoCommit = connection.getAutoCommit();
      // PostgreSQL's driver streams with a cursor only inside a transaction; without one it reads everything first.
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      closeQuietly(connection, e);
      throw e;
    }
    PreparedStatement statement = null;
    try {
      statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(fetchSize);
      binder.bind(statement);
      ResultSet rows = statement.executeQuery();
      RecordCursor cursor = new RecordCursor(connection, autoCommit, statement, rows, chain);
      return StreamSupport.stream(cursor, false).onClose(cursor::close);
    } catch (SQLException | RuntimeException e) {
      if (statement != null) {
        closeQuietly(statement, e);
      }
      endQuietly(connection, autoCommit, e);
      throw e;
    }
  }

  /**
   * Reads one record from the current row of a {@code (sequence, record)} result.
   *
   * @throws AuditStorageException if the stored text is not a record, naming its position
   */
  static AuditRecord record(ResultSet rows, String chain) throws SQLException {
    long sequence = rows.getLong(1);
    String text = rows.getString(2);
    try {
      if (text == null) {
        throw new AuditStorageException("the stored text is NULL");
      }
      return AuditRecordCodec.fromJson(text);
    } catch (AuditStorageException e) {
      throw new AuditStorageException("The audit record stored in chain " + chain + " at sequence " + sequence
          + " cannot be read (" + e.getMessage() + "); the table was changed outside JdbcAuditSink: verify the chain"
          + " and restore the record from a backup", e);
    }
  }

  @Override
  public boolean tryAdvance(Consumer<? super AuditRecord> action) {
    if (closed) {
      throw new IllegalStateException("the stream of audit records was closed");
    }
    try {
      if (!rows.next()) {
        return false;
      }
      action.accept(record(rows, chain));
      return true;
    } catch (SQLException e) {
      throw new AuditStorageException("JdbcAuditSink could not read chain " + chain + " (SQLState " + e.getSQLState()
          + ": " + e.getMessage() + "); check that the database is reachable", e);
    }
  }

  /** Ends the read-only transaction and returns the connection; idempotent. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = new SQLException("closing the audit record cursor");
    closeQuietly(rows, failure);
    closeQuietly(statement, failure);
    endQuietly(connection, autoCommit, failure);
    if (failure.getSuppressed().length > 0) {
      // The records were read in full or the caller stopped early: nothing is lost. The pool discards a connection
      // that failed to close, so a warning is all this deserves.
      LOG.warn("Closing the cursor over audit chain {} failed; the pool will discard the connection", chain, failure);
    }
  }

  private static void endQuietly(Connection connection, boolean autoCommit, Throwable failure) {
    try {
      connection.rollback(); // only read: nothing to keep, and it ends the cursor's transaction
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    closeQuietly(connection, failure);
  }

  private static void closeQuietly(AutoCloseable resource, Throwable failure) {
    try {
      resource.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /** Binds a query's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }
}
