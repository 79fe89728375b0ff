package dev.tenancy.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios on the {@code postgres} profile: shared tables with row-level security, created with their policies
 * by {@code spring.sql.init} as the owner, served as a fresh role that owns nothing and has no BYPASSRLS; a fresh
 * database per run. Rows are looked up under the API as the owner (a superuser, whom RLS does not filter) by their
 * {@code organization_id}, which the application's SQL never writes: the column default fills it from the tenant the
 * starter bound on the connection.
 */
@ActiveProfiles("postgres")
// Closed right after the class, when PostgresDatabase has dropped the database under it.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrmPostgresIT extends CrmScenarios {

  @RegisterExtension
  static final PostgresDatabase DATABASE = new PostgresDatabase();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", DATABASE::url);
    registry.add("spring.datasource.username", DATABASE::appRole);
    registry.add("spring.datasource.password", () -> "");
    registry.add("spring.sql.init.username", () -> PostgresDatabase.OWNER);
    // Spring Boot runs the scripts as spring.sql.init.username only when a password is set too; the test server
    // trusts local connections and ignores it.
    registry.add("spring.sql.init.password", () -> "ignored-by-trust-authentication");
    // The audit table belongs to the owner too, so the serving role can append to the trail but never rewrite it.
    registry.add("tenancy.audit.migration-username", () -> PostgresDatabase.OWNER);
  }

  @Override
  long leadRows(Agency agency, UUID leadId) throws Exception {
    return count("SELECT count(*) FROM leads WHERE organization_id = ? AND id = ?", agency, leadId, null);
  }

  @Override
  long activityRows(Agency agency, UUID leadId, String kind) throws Exception {
    return count("SELECT count(*) FROM lead_activity WHERE organization_id = ? AND lead_id = ? AND kind = ?", agency,
        leadId, kind);
  }

  @Test
  void theApplicationRole_isSubjectToRowLevelSecurity_andSeesNothingWithoutATenant() throws Exception {
    Agency a = agency("rls", "pro");
    UUID leadId = createLead(a.token("agent", "agent"), "Hidden");

    try (Connection connection = DATABASE.connect(DATABASE.appRole());
        Statement statement = connection.createStatement()) {
      try (ResultSet role = statement.executeQuery("SELECT r.rolsuper, r.rolbypassrls, "
          + "(SELECT tableowner FROM pg_tables WHERE tablename = 'leads') = current_user "
          + "FROM pg_roles r WHERE r.rolname = current_user")) {
        role.next();
        assertThat(role.getBoolean(1)).as("superuser").isFalse();
        assertThat(role.getBoolean(2)).as("BYPASSRLS").isFalse();
        assertThat(role.getBoolean(3)).as("owns the leads table").isFalse();
      }
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM leads")) {
        rows.next();
        assertThat(rows.getLong(1)).as("no tenant bound: the policies show nothing").isZero();
      }
      // The audit trail is append-only for this role: the owner created it and granted INSERT and SELECT only.
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM tenancy_audit.audit_records")) {
        rows.next();
        assertThat(rows.getLong(1)).as("lead creation was audited").isPositive();
      }
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM tenancy_audit.audit_records"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      // Writing a row for another tenant than the bound one is refused by the policies' WITH CHECK.
      statement.execute("SELECT set_config('tenancy.tenant_id', '" + a.id + "', false)");
      assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO leads (organization_id, id, name, email, "
          + "created_at) VALUES ('" + UUID.randomUUID() + "', '" + UUID.randomUUID() + "', 'x', 'x@example.com', "
          + "now())")).isInstanceOf(SQLException.class).hasMessageContaining("row-level security");
      try (ResultSet rows = statement.executeQuery("SELECT id FROM leads")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getObject(1, UUID.class)).isEqualTo(leadId);
        assertThat(rows.next()).isFalse();
      }
    }
  }

  private static long count(String sql, Agency agency, UUID leadId, String kind) throws SQLException {
    try (Connection owner = DATABASE.connect(PostgresDatabase.OWNER);
        PreparedStatement query = owner.prepareStatement(sql)) {
      query.setObject(1, UUID.fromString(agency.id.toString()));
      query.setObject(2, leadId);
      if (kind != null) {
        query.setString(3, kind);
      }
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
