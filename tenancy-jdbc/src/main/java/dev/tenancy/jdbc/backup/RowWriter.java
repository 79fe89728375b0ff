package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Inserts rows into one target table in JDBC batches, inside the caller's transaction. Plain INSERT, because
 * PostgreSQL refuses {@code COPY FROM} into tables with row-level security; explicit values for identity columns are
 * accepted with {@code OVERRIDING SYSTEM VALUE}.
 */
final class RowWriter implements AutoCloseable {

  static final int BATCH_SIZE = 500;

  private final ColumnPlan plan;
  private final SqlDialect dialect;
  private final TenantId tenant;
  private final PreparedStatement statement;
  private final int tenantSlot;
  private int pending;
  private long written;

  RowWriter(Connection connection, ColumnPlan plan, SqlDialect dialect, TenantId tenant) throws SQLException {
    this.plan = plan;
    this.dialect = dialect;
    this.tenant = tenant;
    TenantTable target = plan.target();
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    int tenantSlot = -1;
    boolean explicitIdentity = false;
    List<ColumnPlan.Slot> slots = plan.slots();
    for (int i = 0; i < slots.size(); i++) {
      TableColumn column = slots.get(i).target();
      names.add(SqlIdentifiers.quote(column.name()));
      marks.add("?");
      explicitIdentity |= column.autoIncrement();
      if (column.name().equalsIgnoreCase(String.valueOf(target.tenantColumn()))) {
        tenantSlot = i;
      }
    }
    this.tenantSlot = tenantSlot;
    String overriding = explicitIdentity && dialect != SqlDialect.OTHER ? " OVERRIDING SYSTEM VALUE" : "";
    this.statement = connection.prepareStatement("INSERT INTO " + target.qualifiedName() + " " + names + overriding
        + " VALUES " + marks);
  }

  /**
   * Adds one source row (values in source column order) to the batch.
   *
   * @throws ForeignTenantRowException if the row names another tenant in its tenant column
   */
  void add(@Nullable Object[] source) throws SQLException {
    int dropped = plan.droppedTenantIndex();
    if (dropped >= 0) {
      requireTenant(source[dropped]);
    }
    List<ColumnPlan.Slot> slots = plan.slots();
    for (int i = 0; i < slots.size(); i++) {
      ColumnPlan.Slot slot = slots.get(i);
      Object value = slot.sourceIndex() < 0 ? slot.constant() : source[slot.sourceIndex()];
      if (i == tenantSlot) {
        requireTenant(value);
      }
      TableColumn column = slot.target();
      column.type().bind(statement, i + 1, value, column.jdbcType(), dialect);
    }
    statement.addBatch();
    if (++pending == BATCH_SIZE) {
      flush();
    }
  }

  private void requireTenant(@Nullable Object value) {
    if (value == null || !TenantColumnValue.matches(value, tenant)) {
      throw new ForeignTenantRowException(tenant, plan.target().name(), String.valueOf(value));
    }
  }

  private void flush() throws SQLException {
    if (pending > 0) {
      statement.executeBatch();
      written += pending;
      pending = 0;
    }
  }

  /** Sends what is left and returns how many rows were written. */
  long finish() throws SQLException {
    flush();
    return written;
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
