package dev.tenancy.jdbc.backup;

import dev.tenancy.jdbc.SqlIdentifiers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One table holding a tenant's rows at one place.
 *
 * @param schema the schema it lives in
 * @param name its name, as the database spells it
 * @param columns its columns (computed columns left out: they are derived, never copied), in table order
 * @param primaryKey the names of its primary-key columns in key order; empty if it has none
 * @param tenantColumn the column that holds the tenant id, or {@code null} if the table has none (only possible in a
 *     schema or database of the tenant's own)
 * @since 0.1.0
 */
public record TenantTable(String schema, String name, List<TableColumn> columns, List<String> primaryKey,
    @Nullable String tenantColumn) {

  /** Checks that no part is missing and copies the lists. */
  public TenantTable {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no columns");
    }
  }

  /** @return the schema-qualified, quoted name to put into SQL, e.g. {@code "tenant_acme"."orders"} */
  public String qualifiedName() {
    return SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(name);
  }

  /**
   * @param columnName a column name (compared ignoring case)
   * @return the column, or empty
   */
  public Optional<TableColumn> column(String columnName) {
    for (TableColumn column : columns) {
      if (column.name().equalsIgnoreCase(columnName)) {
        return Optional.of(column);
      }
    }
    return Optional.empty();
  }

  /** @return whether a column's values come from a sequence (serial or identity) */
  public boolean hasAutoIncrement() {
    return columns.stream().anyMatch(TableColumn::autoIncrement);
  }
}
