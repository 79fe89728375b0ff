package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which target column gets which source value: columns are matched by name (ignoring case, so H2's upper-case names
 * meet PostgreSQL's lower-case ones). The tenant column may exist on one side only — shared tables need it, a schema of
 * the tenant's own may drop it — and is then filled with, or checked against, the tenant id. Anything else that does
 * not match is refused before a row is written, never silently dropped.
 */
final class ColumnPlan {

  /** One target column: the source value at {@code sourceIndex}, or {@code constant} when that is -1. */
  record Slot(TableColumn target, int sourceIndex, @Nullable Object constant) {
  }

  private final TenantTable target;
  private final List<Slot> slots;
  private final int sourceTenantIndex;

  private ColumnPlan(TenantTable target, List<Slot> slots, int sourceTenantIndex) {
    this.target = target;
    this.slots = List.copyOf(slots);
    this.sourceTenantIndex = sourceTenantIndex;
  }

  static ColumnPlan between(String sourceTable, List<TableColumn> source, @Nullable String sourceTenantColumn,
      TenantTable target, TenantId tenant) {
    List<Slot> slots = new ArrayList<>();
    boolean[] used = new boolean[source.size()];
    for (TableColumn column : target.columns()) {
      int index = indexOf(source, column.name());
      boolean isTenantColumn = column.name().equalsIgnoreCase(String.valueOf(target.tenantColumn()));
      if (index >= 0) {
        TableColumn from = source.get(index);
        if (from.type() != column.type()) {
          throw new TableMismatchException(target.name(), "column " + column.name() + " is " + from.typeName()
              + " (" + from.type() + ") at the source but " + column.typeName() + " (" + column.type()
              + ") at the target");
        }
        used[index] = true;
        slots.add(new Slot(column, index, null));
      } else if (isTenantColumn) {
        slots.add(new Slot(column, -1, TenantColumnValue.of(column, target.name(), tenant)));
      } else if (!column.hasDefault() && !column.nullable()) {
        throw new TableMismatchException(target.name(), "the target requires column " + column.name()
            + " (NOT NULL, no default), which the source does not have");
      }
    }
    int sourceTenantIndex = sourceTenantColumn == null ? -1 : indexOf(source, sourceTenantColumn);
    for (int i = 0; i < source.size(); i++) {
      if (!used[i] && i != sourceTenantIndex) {
        throw new TableMismatchException(sourceTable, "the target has no column " + source.get(i).name()
            + ", so its values would be lost");
      }
    }
    if (slots.isEmpty()) {
      throw new TableMismatchException(target.name(), "no column of the source matches one of the target");
    }
    return new ColumnPlan(target, slots, used.length > 0 && sourceTenantIndex >= 0 && !used[sourceTenantIndex]
        ? sourceTenantIndex : -1);
  }

  private static int indexOf(List<TableColumn> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  TenantTable target() {
    return target;
  }

  List<Slot> slots() {
    return slots;
  }

  /** The source's tenant column when the target has none (its value is dropped, so it must name the tenant); or -1. */
  int droppedTenantIndex() {
    return sourceTenantIndex;
  }
}
