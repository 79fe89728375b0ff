package dev.tenancy.jdbc.backup;

import java.util.Objects;

/**
 * One column of a {@link TenantTable}, as JDBC metadata describes it.
 *
 * @param name the column's name, as the database spells it
 * @param type how its values are read, written and encoded
 * @param jdbcType the {@link java.sql.Types} constant the driver reports
 * @param typeName the database's own type name, e.g. {@code int8}, {@code jsonb}
 * @param nullable whether it accepts {@code NULL}
 * @param hasDefault whether it has a default value (or is an identity column), so an insert may leave it out
 * @param autoIncrement whether its values come from a sequence (serial or identity)
 * @since 0.1.0
 */
public record TableColumn(String name, ColumnType type, int jdbcType, String typeName, boolean nullable,
    boolean hasDefault, boolean autoIncrement) {

  /** Checks that no part is missing. */
  public TableColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(typeName, "typeName");
  }
}
