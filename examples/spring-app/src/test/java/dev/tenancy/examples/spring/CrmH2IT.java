package dev.tenancy.examples.spring;

import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.spring.TenantDataSourceWrapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The scenarios on the default profile: in-memory H2, one schema per agency. Rows are looked up under the API through
 * the pool beneath the tenant-aware DataSource, in the agency's schema by name.
 */
class CrmH2IT extends CrmScenarios {

  @Autowired
  DataSource dataSource;
  @Autowired
  TenantDataSourceWrapper wrapper;

  @Override
  long leadRows(Agency agency, UUID leadId) throws Exception {
    return count(agency, "SELECT count(*) FROM %s.leads WHERE id = ?", leadId, null);
  }

  @Override
  long activityRows(Agency agency, UUID leadId, String kind) throws Exception {
    return count(agency, "SELECT count(*) FROM %s.lead_activity WHERE lead_id = ? AND kind = ?", leadId, kind);
  }

  private long count(Agency agency, String sql, UUID leadId, String kind) throws Exception {
    SchemaPerTenant schemas = (SchemaPerTenant) dataSource.unwrap(TenantAwareDataSource.class).strategy();
    String schema = SqlIdentifiers.quote(schemas.schemaOf(agency.info()));
    try (Connection connection = wrapper.poolOf(dataSource).getConnection()) {
      if (!schemaExists(connection, schemas.schemaOf(agency.info()))) {
        return 0; // purged: the agency's schema is gone with its rows
      }
      return count(connection, sql.formatted(schema), leadId, kind);
    }
  }

  private static boolean schemaExists(Connection connection, String schema) throws Exception {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
      query.setString(1, schema);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  private static long count(Connection connection, String sql, UUID leadId, String kind) throws Exception {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setObject(1, leadId);
      if (kind != null) {
        query.setString(2, kind);
      }
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
