package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;

/**
 * Thrown when a row about to be written for one tenant names another tenant (or none) in its tenant column: the
 * engine never writes a row into a tenant's data that claims to belong elsewhere. The transaction is rolled back.
 *
 * @since 0.1.0
 */
public final class ForeignTenantRowException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final String table;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant being written
   * @param table the table the row was meant for
   * @param value what the row's tenant column holds (shown, since it is an id, not business data)
   */
  public ForeignTenantRowException(TenantId tenant, String table, String value) {
    super("A row for table " + table + " names tenant '" + value + "' in its tenant column, not tenant " + tenant
        + ", whose data is being written; the source holds another tenant's row — nothing was written");
    this.tenant = tenant;
    this.table = table;
  }

  /** @return the tenant being written */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the table the row was meant for */
  public String table() {
    return table;
  }
}
