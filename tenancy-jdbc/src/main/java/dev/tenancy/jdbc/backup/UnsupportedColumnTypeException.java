package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;

/**
 * Thrown when a tenant table has a column whose type the engine cannot copy without loss (arrays, intervals, network
 * addresses, {@code timetz}, user-defined types…): nothing is read or written.
 *
 * @since 0.1.0
 */
public final class UnsupportedColumnTypeException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String column;
  private final String typeName;

  /**
   * Creates the exception.
   *
   * @param table the table
   * @param column the column
   * @param typeName the database's name of its type
   */
  public UnsupportedColumnTypeException(String table, String column, String typeName) {
    super("Column " + table + "." + column + " has type '" + typeName + "', which tenant data copy, digest and backup "
        + "do not support (supported: integers, numeric, real/double, text types, boolean, date, time, timestamp, "
        + "timestamptz, uuid, bytea/binary, json/jsonb); change the column to a supported type, e.g. text or jsonb");
    this.table = table;
    this.column = column;
    this.typeName = typeName;
  }

  /** @return the table */
  public String table() {
    return table;
  }

  /** @return the column */
  public String column() {
    return column;
  }

  /** @return the database's name of the column's type */
  public String typeName() {
    return typeName;
  }
}
