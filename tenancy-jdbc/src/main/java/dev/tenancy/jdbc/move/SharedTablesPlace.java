package dev.tenancy.jdbc.move;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.backup.ColumnType;
import dev.tenancy.jdbc.backup.TableColumn;
import dev.tenancy.jdbc.backup.TenantDataDigest;
import dev.tenancy.jdbc.backup.TenantTable;
import dev.tenancy.jdbc.backup.TenantTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Shared tables under row-level security. The tenant's rows are deleted children first, always with an explicit
 * {@code WHERE <tenant column> = ?} — never relying on the policies alone, which an owner or BYPASSRLS role would
 * skip, deleting every tenant's rows.
 */
final class SharedTablesPlace extends Place {

  @Override
  String kind() {
    return "shared tables";
  }

  @Override
  void check(String shard, IsolationStrategy strategy) {
    if (!(strategy instanceof RowLevelSecurity)) {
      throw new IllegalArgumentException("Shard '" + shard + "' is configured as Place.sharedTables(), but its"
          + " strategy is " + strategy.getClass().getSimpleName() + "; shared tables need RowLevelSecurity");
    }
  }

  @Override
  Optional<String> existing(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) {
    TenantDataDigest digest = TenantDataDigest.of(shard.dataSource(), info, tenantColumn);
    if (digest.rows() == 0) {
      return Optional.empty();
    }
    return Optional.of(digest.rows() + " rows of the tenant in the shared tables of shard '" + shard.name() + "' "
        + digest.rowCounts());
  }

  @Override
  boolean makesPlace() {
    return false;
  }

  @Override
  void prepare(Shard shard, Tenant tenant) {
    // The shared tables are migrated once for all tenants; a tenant arriving needs nothing made.
  }

  @Override
  void discard(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws SQLException {
    TenantTables tables = TenantTables.discover(shard.dataSource(), info, tenantColumn);
    try (TenantScope scope = TenantContext.enter(info); Connection connection = shard.dataSource().getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        delete(connection, tables, tenant.id());
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  @Override
  Retirement retire(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn, long expectedRows)
      throws SQLException {
    TenantTables tables = TenantTables.discover(shard.dataSource(), info, tenantColumn);
    Connection connection;
    try (TenantScope scope = TenantContext.enter(info)) {
      connection = shard.dataSource().getConnection();
    }
    try {
      connection.setAutoCommit(false);
      long deleted;
      try (TenantScope scope = TenantContext.enter(info)) {
        deleted = delete(connection, tables, tenant.id());
      }
      if (deleted != expectedRows) {
        throw new IllegalStateException("The tenant has " + deleted + " rows in the shared tables of shard '"
            + shard.name() + "', but " + expectedRows + " were verified: something wrote to it during the move");
      }
      return new OpenDeletion(connection, shard, deleted);
    } catch (SQLException | RuntimeException e) {
      closeRolledBack(connection);
      throw e;
    }
  }

  /** Deletes the tenant's rows from every table, children first; returns how many. */
  private static long delete(Connection connection, TenantTables tables, TenantId tenant) throws SQLException {
    List<TenantTable> reverse = new ArrayList<>(tables.tables());
    Collections.reverse(reverse);
    long deleted = 0;
    for (TenantTable table : reverse) {
      String column = table.tenantColumn();
      if (column == null) {
        throw new IllegalStateException("Shared table " + table.name() + " has no tenant column "
            + tables.tenantColumn());
      }
      TableColumn tenantColumn = table.column(column).orElseThrow();
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table.qualifiedName()
          + " WHERE " + SqlIdentifiers.quote(column) + " = ?")) {
        if (tenantColumn.type() == ColumnType.UUID) {
          statement.setObject(1, tenant.value());
        } else {
          statement.setString(1, tenant.toString());
        }
        deleted += statement.executeUpdate();
      }
    }
    return deleted;
  }

  private static void closeRolledBack(Connection connection) {
    try (connection) {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The pool discards a connection that fails here; the transaction ends with it.
    }
  }

  /** The deletion of the old rows, left uncommitted until the move commits. */
  private static final class OpenDeletion implements Retirement {
    private final Connection connection;
    private final Shard shard;
    private final long rows;

    OpenDeletion(Connection connection, Shard shard, long rows) {
      this.connection = connection;
      this.shard = shard;
      this.rows = rows;
    }

    @Override
    public String describe() {
      return rows + " rows deleted from the shared tables of shard '" + shard.name()
          + "' in a transaction that commits with the move";
    }

    @Override
    public void undo() throws SQLException {
      try (connection) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }

    @Override
    public void finish() throws SQLException {
      try (connection) {
        connection.commit();
        connection.setAutoCommit(true);
      }
    }

    @Override
    public String leftover() {
      return "the tenant's " + rows + " old rows in the shared tables of shard '" + shard.name()
          + "' (delete them with the tenant bound, children first, WHERE the tenant column is its id)";
    }
  }
}
