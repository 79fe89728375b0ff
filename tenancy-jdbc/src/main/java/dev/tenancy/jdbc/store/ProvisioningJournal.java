package dev.tenancy.jdbc.store;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.ProvisioningRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@code provisioning_records} table: one row per unfinished provisioning run. Never cached — it is read only
 * when a run resumes.
 */
final class ProvisioningJournal {

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;

  ProvisioningJournal(DataSource dataSource, Dialect dialect, String table) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = table;
  }

  void save(ProvisioningRecord record) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert = connection.prepareStatement(dialect.upsertProvisioningRecord(table))) {
      TenantRows.bindRecord(upsert, record);
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw new TenantStoreAccessException("save the provisioning record of tenant " + record.tenantId(), e);
    }
  }

  Optional<ProvisioningRecord> find(TenantId id) {
    List<ProvisioningRecord> found = query(" WHERE tenant_id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  List<ProvisioningRecord> list() {
    List<ProvisioningRecord> all = new ArrayList<>(query("", null));
    // Sorted in Java: databases order UUIDs differently from TenantId.compareTo.
    all.sort(Comparator.comparing(ProvisioningRecord::tenantId));
    return List.copyOf(all);
  }

  void remove(TenantId id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
      delete.setObject(1, id.value());
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new TenantStoreAccessException("remove the provisioning record of tenant " + id, e);
    }
  }

  private List<ProvisioningRecord> query(String where, @Nullable TenantId id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT " + TenantRows.RECORD_COLUMNS + " FROM " + table + where)) {
      if (id != null) {
        query.setObject(1, id.value());
      }
      List<ProvisioningRecord> found = new ArrayList<>();
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          found.add(TenantRows.provisioningRecord(result));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new TenantStoreAccessException("read provisioning records", e);
    }
  }
}
