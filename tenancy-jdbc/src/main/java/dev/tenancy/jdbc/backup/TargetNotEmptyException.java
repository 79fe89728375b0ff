package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;

/**
 * Thrown when a copy's target already holds rows of the tenant: a copy never merges into or overwrites data. Nothing
 * is written.
 *
 * @since 0.1.0
 */
public final class TargetNotEmptyException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final String table;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant
   * @param table the first target table found holding its rows
   */
  public TargetNotEmptyException(TenantId tenant, String table) {
    super("The target already holds rows of tenant " + tenant + " (table " + table + "); a copy only fills an empty "
        + "place: purge the tenant's rows there first (e.g. a previous, abandoned copy), or restore instead");
    this.tenant = tenant;
    this.table = table;
  }

  /** @return the tenant */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the first target table found holding the tenant's rows */
  public String table() {
    return table;
  }
}
