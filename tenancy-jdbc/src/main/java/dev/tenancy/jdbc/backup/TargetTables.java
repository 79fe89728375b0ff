package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the engine does to a target place around writing rows, inside the caller's transaction. */
final class TargetTables {

  private TargetTables() {
  }

  /** The tenant's rows in one table: all of them in a place of its own, those with its id in shared tables. */
  private static String tenantRows(TenantTables tables, TenantTable table) {
    if (!tables.kind().sharesTables()) {
      return table.qualifiedName();
    }
    return table.qualifiedName() + " WHERE " + SqlIdentifiers.quote(TableReader.tenantColumn(table).name()) + " = ?";
  }

  private static void bindTenant(PreparedStatement statement, TenantTables tables, TenantTable table, TenantId tenant)
      throws SQLException {
    if (tables.kind().sharesTables()) {
      TableColumn column = TableReader.tenantColumn(table);
      column.type().bind(statement, 1, TenantColumnValue.of(column, table.name(), tenant), column.jdbcType(),
          tables.dialect());
    }
  }

  /** @return the first table holding rows of the tenant, or empty */
  static Optional<String> firstNonEmpty(Connection connection, TenantTables tables, List<TenantTable> which,
      TenantId tenant) throws SQLException {
    for (TenantTable table : which) {
      String sql = "SELECT 1 FROM " + tenantRows(tables, table);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setMaxRows(1);
        bindTenant(statement, tables, table, tenant);
        try (ResultSet rows = statement.executeQuery()) {
          if (rows.next()) {
            return Optional.of(table.name());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Deletes the tenant's rows, children first. */
  static long deleteTenantRows(Connection connection, TenantTables tables, TenantId tenant) throws SQLException {
    List<TenantTable> reverse = new ArrayList<>(tables.tables());
    java.util.Collections.reverse(reverse);
    long deleted = 0;
    for (TenantTable table : reverse) {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + tenantRows(tables, table))) {
        bindTenant(statement, tables, table, tenant);
        deleted += statement.executeUpdate();
      }
    }
    return deleted;
  }

  /**
   * Defers deferrable constraints to commit, so foreign keys that the load order cannot satisfy (a deferrable cycle
   * or self-reference) are checked once all rows are in.
   */
  static void deferConstraints(Connection connection, SqlDialect dialect) throws SQLException {
    if (dialect == SqlDialect.POSTGRESQL) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET CONSTRAINTS ALL DEFERRED");
      }
    }
  }

  /**
   * Moves each serial/identity sequence of the written tables past the largest value now in its column, so the
   * application's next insert does not collide with a copied id. Only forward: in shared tables the sequence serves
   * every tenant and may already be further. PostgreSQL only; the role needs USAGE on the sequences and UPDATE on one it must move.
   */
  static void advanceSequences(Connection connection, List<TenantTable> written, SqlDialect dialect)
      throws SQLException {
    if (dialect != SqlDialect.POSTGRESQL) {
      return;
    }
    for (TenantTable table : written) {
      for (TableColumn column : table.columns()) {
        if (!column.autoIncrement()) {
          continue;
        }
        String sequence;
        try (PreparedStatement find = connection.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
          find.setString(1, table.qualifiedName());
          find.setString(2, column.name());
          try (ResultSet rows = find.executeQuery()) {
            sequence = rows.next() ? rows.getString(1) : null;
          }
        }
        if (sequence == null) {
          continue;
        }
        // Only forward, and only when needed: the role may have USAGE but not UPDATE on a shared sequence that is
        // already past every copied id.
        String probe = "SELECT (SELECT max(" + SqlIdentifiers.quote(column.name()) + ") FROM " + table.qualifiedName()
            + "), pg_sequence_last_value(CAST(? AS regclass))";
        long max;
        try (PreparedStatement statement = connection.prepareStatement(probe)) {
          statement.setString(1, sequence);
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            max = rows.getLong(1);
            if (rows.wasNull()) {
              continue;
            }
            long last = rows.getLong(2);
            if (!rows.wasNull() && last > max) {
              continue;
            }
          }
        }
        try (PreparedStatement advance = connection.prepareStatement("SELECT setval(CAST(? AS regclass), ?)")) {
          advance.setString(1, sequence);
          advance.setLong(2, max);
          advance.execute();
        }
      }
    }
  }
}
