package dev.tenancy.jdbc.audit;

import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JdbcAuditSink#append}'s write: one JDBC batch in one transaction, and, when a position turns out to be taken,
 * which one.
 */
final class BatchInsert {

  private static final Logger LOG = LoggerFactory.getLogger(BatchInsert.class);
  private static final String UNIQUE_VIOLATION = "23505";

  private BatchInsert() {
  }

  /**
   * Inserts the records with their texts and commits; on failure rolls back and rethrows.
   *
   * @param connection a connection, in whatever auto-commit mode (restored afterwards)
   * @param insertSql the insert, parameters chain, sequence, event time, text
   * @param records the records
   * @param texts their canonical JSON, index by index
   * @throws SQLException if the batch fails; nothing of it is committed
   */
  static void insert(Connection connection, String insertSql, List<AuditRecord> records, String[] texts)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
      for (int i = 0; i < texts.length; i++) {
        AuditRecord record = records.get(i);
        insert.setString(1, record.chain());
        insert.setLong(2, record.sequence());
        insert.setObject(3, OffsetDateTime.ofInstant(record.event().timestamp(), ZoneOffset.UTC));
        insert.setString(4, texts[i]);
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      restoreAutoCommit(connection, autoCommit);
    }
  }

  /**
   * @param failure what a failed batch threw
   * @return whether a unique constraint refused a row (the primary key: a position was taken)
   */
  static boolean isUniqueViolation(SQLException failure) {
    // A failed batch reports the statement's error as the next exception (pgjdbc) or the cause (H2).
    Set<Throwable> seen = new HashSet<>();
    List<Throwable> pending = new ArrayList<>(List.of(failure));
    while (!pending.isEmpty()) {
      Throwable next = pending.remove(pending.size() - 1);
      if (next == null || !seen.add(next)) {
        continue;
      }
      if (next instanceof SQLException sqlException) {
        if (UNIQUE_VIOLATION.equals(sqlException.getSQLState())) {
          return true;
        }
        pending.add(sqlException.getNextException());
      }
      pending.add(next.getCause());
    }
    return false;
  }

  /**
   * Names the first position of the batch that turned out to be taken; the batch itself was rolled back.
   *
   * @param dataSource where to look
   * @param storedSql the query for stored sequences, parameters chain, from, to
   * @param records the refused batch
   * @param cause the unique violation
   * @return the exception to throw
   */
  static AuditChainConflictException conflict(DataSource dataSource, String storedSql, List<AuditRecord> records,
      SQLException cause) {
    AuditRecord taken = null;
    try {
      taken = firstStored(dataSource, storedSql, records);
    } catch (SQLException lookup) {
      cause.addSuppressed(lookup);
    }
    if (taken == null) {
      // Not stored (any more): the batch itself named a position twice.
      Set<String> seen = new HashSet<>();
      for (AuditRecord record : records) {
        if (!seen.add(record.chain() + '\u0000' + record.sequence())) {
          taken = record;
          break;
        }
      }
    }
    AuditRecord named = taken == null ? records.get(0) : taken;
    AuditChainConflictException conflict = new AuditChainConflictException(named.chain(), named.sequence());
    conflict.initCause(cause);
    return conflict;
  }

  private static @Nullable AuditRecord firstStored(DataSource dataSource, String storedSql,
      List<AuditRecord> records) throws SQLException {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    for (AuditRecord record : records) {
      ranges.merge(record.chain(), new long[] {record.sequence(), record.sequence()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    Set<String> stored = new HashSet<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(storedSql)) {
      for (Map.Entry<String, long[]> range : ranges.entrySet()) {
        select.setString(1, range.getKey());
        select.setLong(2, range.getValue()[0]);
        select.setLong(3, range.getValue()[1]);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            stored.add(range.getKey() + '\u0000' + rows.getLong(1));
          }
        }
      }
    }
    for (AuditRecord record : records) {
      if (stored.contains(record.chain() + '\u0000' + record.sequence())) {
        return record;
      }
    }
    return null;
  }

  private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
    if (!autoCommit) {
      return;
    }
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The batch is committed (or rolled back) already: failing the append now would make the caller write it again.
      // A pool resets auto-commit on return, or discards a connection that cannot.
      LOG.warn("Could not restore auto-commit on an audit connection", e);
    }
  }
}
