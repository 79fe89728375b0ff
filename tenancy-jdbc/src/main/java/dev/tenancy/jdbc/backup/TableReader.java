package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Streams one table's rows of one tenant, in primary-key order, without holding more than a fetch's worth in memory:
 * the caller's connection must have auto-commit off (PostgreSQL only honours the fetch size inside a transaction).
 */
final class TableReader implements AutoCloseable {

  static final int FETCH_SIZE = 1000;

  private final TenantTable table;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final @Nullable Object[] values;

  private TableReader(TenantTable table, PreparedStatement statement, ResultSet rows) {
    this.table = table;
    this.statement = statement;
    this.rows = rows;
    this.values = new Object[table.columns().size()];
  }

  static TableReader open(Connection connection, TenantTables tables, TenantTable table, TenantId tenant)
      throws SQLException {
    StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + table.qualifiedName());
    for (TableColumn column : table.columns()) {
      select.add(SqlIdentifiers.quote(column.name()));
    }
    StringBuilder sql = new StringBuilder(select.toString());
    boolean filtered = tables.kind().sharesTables();
    if (filtered) {
      // Row-level security filters too; the explicit predicate keeps an owner connection (which RLS lets see
      // everything) from exporting other tenants' rows, and lets the planner use the (tenant, id) index.
      sql.append(" WHERE ").append(SqlIdentifiers.quote(tenantColumn(table).name())).append(" = ?");
    }
    List<String> order = orderBy(table, tables.dialect());
    if (!order.isEmpty()) {
      sql.append(" ORDER BY ").append(String.join(", ", order));
    }
    PreparedStatement statement = connection.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
        ResultSet.CONCUR_READ_ONLY);
    try {
      statement.setFetchSize(FETCH_SIZE);
      if (filtered) {
        TableColumn column = tenantColumn(table);
        column.type().bind(statement, 1, TenantColumnValue.of(column, table.name(), tenant), column.jdbcType(),
            tables.dialect());
      }
      return new TableReader(table, statement, statement.executeQuery());
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  static TableColumn tenantColumn(TenantTable table) {
    String name = table.tenantColumn();
    if (name == null) {
      throw new IllegalStateException("table " + table.name() + " has no tenant column");
    }
    return table.column(name).orElseThrow();
  }

  /**
   * Primary-key order (the tenant column left out: it is constant), text compared by code point so every database
   * sorts alike. A table without a primary key is sorted by all its columns but JSON ones, which PostgreSQL cannot
   * compare; rows equal in every sortable column may then come in either order.
   */
  private static List<String> orderBy(TenantTable table, SqlDialect dialect) {
    List<String> order = new ArrayList<>();
    List<TableColumn> keys = new ArrayList<>();
    for (String name : table.primaryKey()) {
      table.column(name).ifPresent(keys::add);
    }
    if (keys.isEmpty()) {
      keys.addAll(table.columns());
    }
    for (TableColumn column : keys) {
      if (column.name().equalsIgnoreCase(String.valueOf(table.tenantColumn())) && keys.size() > 1
          || column.type() == ColumnType.JSON) {
        continue;
      }
      order.add(dialect.binaryOrder(SqlIdentifiers.quote(column.name()), column.type()));
    }
    return order;
  }

  /** Moves to the next row; its values are then in {@link #values()}. */
  boolean next() throws SQLException {
    if (!rows.next()) {
      return false;
    }
    List<TableColumn> columns = table.columns();
    for (int i = 0; i < values.length; i++) {
      values[i] = columns.get(i).type().read(rows, i + 1);
    }
    return true;
  }

  /** @return the current row's values in table column order; the array is reused for the next row */
  @Nullable Object[] values() {
    return values;
  }

  @Override
  public void close() throws SQLException {
    try {
      rows.close();
    } finally {
      statement.close();
    }
  }
}
