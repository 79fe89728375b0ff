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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the engine does to a target place around writing rows, inside the caller's transaction. */
final class TargetTables {

  private static final Logger LOG = LoggerFactory.getLogger(TargetTables.class);

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
   * application's next insert does not collide with a written id. Only forward: in shared tables the sequence serves
   * every tenant and may already be further. PostgreSQL only. The role needs USAGE on the sequences to check them and
   * UPDATE on one it must move; without them a {@code required} advance fails (a copy into a new place), an optional
   * one (a restore, whose ids came from this place's own sequence) is skipped with a warning.
   */
  static void advanceSequences(Connection connection, List<TenantTable> written, SqlDialect dialect,
      boolean required) throws SQLException {
    if (dialect != SqlDialect.POSTGRESQL) {
      return;
    }
    for (TenantTable table : written) {
      for (TableColumn column : table.columns()) {
        if (column.autoIncrement()) {
          advance(connection, table, column, required);
        }
      }
    }
  }

  private static void advance(Connection connection, TenantTable table, TableColumn column, boolean required)
      throws SQLException {
    String sequence = null;
    boolean canRead = false;
    boolean canUpdate = false;
    try (PreparedStatement find = connection.prepareStatement("SELECT s, has_sequence_privilege(s, 'USAGE')"
        + " OR has_sequence_privilege(s, 'SELECT'), has_sequence_privilege(s, 'UPDATE')"
        + " FROM (SELECT pg_get_serial_sequence(?, ?) AS s) AS x WHERE s IS NOT NULL")) {
      find.setString(1, table.qualifiedName());
      find.setString(2, column.name());
      try (ResultSet rows = find.executeQuery()) {
        if (rows.next()) {
          sequence = rows.getString(1);
          canRead = rows.getBoolean(2);
          canUpdate = rows.getBoolean(3);
        }
      }
    }
    if (sequence == null) {
      return;
    }
    if (!canRead) {
      refuseOrWarn(required, "may not read sequence " + sequence + " of " + table.name() + "." + column.name()
          + " to check it against the written ids; GRANT USAGE, UPDATE ON SEQUENCE " + sequence + " to it");
      return;
    }
    String probe = "SELECT (SELECT max(" + SqlIdentifiers.quote(column.name()) + ") FROM " + table.qualifiedName()
        + "), pg_sequence_last_value(CAST(? AS regclass))";
    long max;
    try (PreparedStatement statement = connection.prepareStatement(probe)) {
      statement.setString(1, sequence);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        max = rows.getLong(1);
        if (rows.wasNull()) {
          return;
        }
        long last = rows.getLong(2);
        if (!rows.wasNull() && last > max) {
          return;
        }
      }
    }
    if (!canUpdate) {
      refuseOrWarn(required, "may not move sequence " + sequence + " past the written id " + max + " of "
          + table.name() + "." + column.name() + ", so new rows would collide; GRANT UPDATE ON SEQUENCE " + sequence
          + " to it");
      return;
    }
    try (PreparedStatement advance = connection.prepareStatement("SELECT setval(CAST(? AS regclass), ?)")) {
      advance.setString(1, sequence);
      advance.setLong(2, max);
      advance.execute();
    }
  }

  private static void refuseOrWarn(boolean required, String problem) throws SQLException {
    if (required) {
      throw new SQLException("The data source's role " + problem, "42501");
    }
    LOG.warn("The data source's role {}", problem);
  }
}
