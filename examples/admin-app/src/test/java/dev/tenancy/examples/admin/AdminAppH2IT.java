package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

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

  /**
   * Operators onboard agencies in parallel: every concurrent creation succeeds. H2 locks its catalogue for each new
   * schema; with its default one-second wait, about one creation in ten failed here ("Timeout trying to lock table
   * SYS"). PostgreSQL takes concurrent schema creation without waiting, so this case is H2's.
   */
  @Test
  void provisioning_fourAtATime_everyTenantIsCreated() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<HttpResponse<String>>> creations = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String slug = slug("parallel" + i);
        creations.add(pool.submit(() -> admin("POST", "/tenants", "{\"slug\":\"" + slug
            + "\",\"displayName\":\"Parallel\",\"tier\":\"pro\",\"status\":\"ACTIVE\"}")));
      }
      for (Future<HttpResponse<String>> creation : creations) {
        HttpResponse<String> created = creation.get();
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
