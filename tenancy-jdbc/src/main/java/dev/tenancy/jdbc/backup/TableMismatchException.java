package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;

/**
 * Thrown when the rows of a table cannot be written into the target as they are: the target lacks the table or a
 * column, has a column of another type, or requires a column the source does not have. Nothing is written.
 *
 * @since 0.1.0
 */
public final class TableMismatchException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String table;

  /**
   * Creates the exception.
   *
   * @param table the table
   * @param problem what does not match, as a sentence fragment
   */
  public TableMismatchException(String table, String problem) {
    super("Table " + table + " cannot be copied: " + problem + "; migrate source and target to the same schema "
        + "version before copying or restoring");
    this.table = table;
  }

  /** @return the table */
  public String table() {
    return table;
  }
}
