package dev.tenancy.examples.admin;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.spi.ProvisioningStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Purging a tenant on shared (RLS) tables: its rows are deleted as the owner, since there is no schema to drop.
 * Provisioning has nothing to create — the tables and policies exist for everyone.
 */
final class SharedRowsStep implements ProvisioningStep {

  private final DataSource owner;
  private final List<String> tables;

  SharedRowsStep(DataSource owner, List<String> tables) {
    this.owner = owner;
    this.tables = List.copyOf(tables);
  }

  @Override
  public String name() {
    return "shared-rows";
  }

  @Override
  public void provision(Tenant tenant) {
    // Nothing to create: the shared tables and their policies already admit the new tenant's rows.
  }

  @Override
  public void deprovision(Tenant tenant) throws Exception {
    try (Connection connection = owner.getConnection()) {
      connection.setAutoCommit(false);
      try {
        for (String table : tables) {
          // Table names are the app's own constants, never input.
          try (PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM " + table + " WHERE organization_id = ?")) {
            delete.setObject(1, tenant.id().value());
            delete.executeUpdate();
          }
        }
        connection.commit();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
