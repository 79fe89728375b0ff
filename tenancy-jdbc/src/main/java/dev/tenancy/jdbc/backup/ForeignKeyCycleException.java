package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;
import java.util.List;

/**
 * Thrown when a tenant's tables reference each other in a cycle of foreign keys that are not {@code DEFERRABLE}: there
 * is no order in which their rows could be inserted (or deleted) one table at a time.
 *
 * @since 0.1.0
 */
public final class ForeignKeyCycleException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final List<String> tables;

  /**
   * Creates the exception.
   *
   * @param tables the tables on or behind the cycle
   */
  public ForeignKeyCycleException(List<String> tables) {
    super("The foreign keys between tables " + tables + " form a cycle, so their rows cannot be loaded parents first; "
        + "declare one foreign key of the cycle DEFERRABLE (ALTER TABLE … ALTER CONSTRAINT … DEFERRABLE), which lets "
        + "the engine check it at commit");
    this.tables = List.copyOf(tables);
  }

  /** @return the tables on or behind the cycle */
  public List<String> tables() {
    return tables;
  }
}
