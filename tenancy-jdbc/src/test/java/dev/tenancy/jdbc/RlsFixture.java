package dev.tenancy.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL database with one tenant table under row-level security written the recommended way, owned by the
 * superuser and used through a non-owner application role without BYPASSRLS.
 */
final class RlsFixture implements AutoCloseable {

  static final String POLICY =
      "organization_id = (select NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)";

  final PostgresSupport database;
  final String appRole;

  RlsFixture() {
    database = PostgresSupport.createDatabase();
    appRole = database.createApplicationRole("tenancy_app");
    database.execute(
        "CREATE TABLE leads (organization_id uuid NOT NULL, id uuid NOT NULL, name text NOT NULL,"
            + " PRIMARY KEY (organization_id, id))",
        "ALTER TABLE leads ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE leads FORCE ROW LEVEL SECURITY",
        "CREATE POLICY leads_tenant ON leads USING (" + POLICY + ") WITH CHECK (" + POLICY + ")",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON leads TO " + appRole);
  }

  HikariDataSource pool(int size, boolean autoCommit, String urlSuffix) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.url() + urlSuffix);
    config.setUsername(appRole);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setAutoCommit(autoCommit);
    config.setPoolName("rls-it-" + appRole);
    return new HikariDataSource(config);
  }

  static TenantInfo tenant(String slug) {
    return TenantInfo.of(TenantId.random(), TenantSlug.of(slug));
  }

  /** Inserts a lead for {@code tenant} as the superuser, bypassing RLS: test data only. */
  void seed(TenantInfo tenant, String name) {
    database.execute("INSERT INTO leads VALUES ('" + tenant.id() + "', '" + UUID.randomUUID() + "', '" + name + "')");
  }

  static List<String> names(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM leads ORDER BY name");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  static void insert(Connection connection, TenantId organization, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO leads VALUES (?, ?, ?)")) {
      statement.setObject(1, organization.value());
      statement.setObject(2, UUID.randomUUID());
      statement.setString(3, name);
      statement.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    database.close();
  }
}
