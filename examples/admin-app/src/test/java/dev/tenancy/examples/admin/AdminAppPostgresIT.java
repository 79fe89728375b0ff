package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The seed's scenarios on PostgreSQL with row-level security: shared tables, policies applied by the owner, tenant
 * data read and written as a fresh non-owner role without BYPASSRLS; a fresh database for this class.
 */
class AdminAppPostgresIT extends AppScenarios {

  private PostgresDatabase database;
  private String appRole;

  @Override
  AppConfig config() {
    database = PostgresDatabase.create();
    appRole = database.roleName("crm_app");
    return AppConfig.from(Map.of("TENANCY_JWT_SECRET", SECRET, "TENANCY_JWT_ISSUER", ISSUER,
            "TENANCY_DB_URL", database.url(), "TENANCY_DB_USER", PostgresDatabase.ADMIN_USER),
        "--port=0", "--tenancy-db-app-user=" + appRole);
  }

  @Override
  void cleanUp() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Override
  long leadRows(Agency agency) throws Exception {
    try (Connection connection = app.platformDataSource().getConnection();
        java.sql.PreparedStatement count = connection.prepareStatement(
            "SELECT count(*) FROM leads WHERE organization_id = ?")) {
      count.setObject(1, java.util.UUID.fromString(agency.id));
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  @Test
  void theApplicationRole_seesNoRowWithoutATenant_onlyCiphertext_andCannotRewriteTheAuditTrail() throws Exception {
    Agency a = agency("rls", "");
    String agent = a.user("agent", "agent");
    send("POST", "/api/v1/leads", agent, "{\"name\":\"Hidden\",\"email\":\"hidden@example.com\"}");

    Properties asApp = new Properties();
    asApp.setProperty("user", appRole);
    try (Connection connection = DriverManager.getConnection(database.url(), asApp);
        Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM leads")) {
        rows.next();
        assertThat(rows.getLong(1)).as("no tenant bound: RLS shows nothing").isZero();
      }
      try (ResultSet role = statement.executeQuery(
          "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
        role.next();
        assertThat(role.getBoolean(1)).isFalse();
        assertThat(role.getBoolean(2)).isFalse();
      }
      // The audit trail is append-only for the role the app writes it as.
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> statement.executeUpdate("DELETE FROM tenancy_audit.audit_records"))
          .isInstanceOf(java.sql.SQLException.class);
      statement.execute("SELECT set_config('tenancy.tenant_id', '" + a.id + "', false)");
      try (ResultSet rows = statement.executeQuery("SELECT name, email_enc FROM leads")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("Hidden");
        assertThat(rows.getString(2)).doesNotContain("hidden@example.com");
      }
    }
  }
}
