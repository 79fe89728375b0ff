package dev.tenancy.examples.admin;

import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/** The seed's scenarios on the default set-up: embedded H2 in memory, a schema per tenant, in-memory quotas. */
class AdminAppH2IT extends AppScenarios {

  @Override
  AppConfig config() {
    return AppConfig.from(Map.of("TENANCY_JWT_SECRET", SECRET, "TENANCY_JWT_ISSUER", ISSUER),
        "--port=0", "--tenancy-db-url=h2:mem");
  }

  @Override
  long leadRows(Agency agency) throws Exception {
    String schema = SqlIdentifiers.tenantSchema("tenant_", TenantSlug.of(agency.slug));
    try (Connection connection = app.platformDataSource().getConnection()) {
      try (PreparedStatement exists = connection.prepareStatement(
          "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?")) {
        exists.setString(1, schema);
        try (ResultSet row = exists.executeQuery()) {
          row.next();
          if (row.getLong(1) == 0) {
            return 0;
          }
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + SqlIdentifiers.quote(schema) + ".leads")) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
