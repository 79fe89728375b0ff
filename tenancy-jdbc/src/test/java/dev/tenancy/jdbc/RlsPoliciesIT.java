package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated policies on real PostgreSQL, used as a non-owner application role: they isolate reads and writes,
 * fail closed without a tenant, evaluate the setting once per statement, and {@code apply} refuses roles that would
 * bypass them.
 */
class RlsPoliciesIT {

  private static final UUID A = UUID.randomUUID();
  private static final UUID B = UUID.randomUUID();

  private static PostgresSupport database;
  private static String app;

  @BeforeAll
  static void createLeadsUnderRls() throws SQLException {
    database = PostgresSupport.createDatabase();
    app = database.createApplicationRole("rls_app");
    database.execute("CREATE TABLE leads (organization_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(),"
        + " name text NOT NULL, PRIMARY KEY (organization_id, id))");
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().tables("leads").applicationRole(app).build().apply(owner);
    }
    database.execute("INSERT INTO leads (organization_id, name) VALUES ('" + A + "', 'a1'), ('" + A + "', 'a2'),"
        + " ('" + B + "', 'b1')");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void select_boundToTenantA_returnsOnlyA() throws SQLException {
    try (Connection connection = appConnection(A.toString())) {
      assertThat(strings(connection, "SELECT name FROM leads ORDER BY name")).containsExactly("a1", "a2");
      bind(connection, B.toString());
      assertThat(strings(connection, "SELECT name FROM leads")).containsExactly("b1");
    }
  }

  @ParameterizedTest(name = "setting = [{0}]")
  @NullSource
  @ValueSource(strings = {"", "00000000-0000-0000-0000-000000000000", "random"})
  void select_settingUnsetEmptyOrUnknownTenant_returnsNothing(@Nullable String setting) throws SQLException {
    String value = "random".equals(setting) ? UUID.randomUUID().toString() : setting;
    try (Connection connection = appConnection(value)) {
      assertThat(strings(connection, "SELECT name FROM leads")).isEmpty();
      assertThat(strings(connection, "SELECT count(*)::text FROM leads")).containsExactly("0");
    }
  }

  @Test
  void insert_otherTenantsOrganization_rejectedByWithCheck() throws SQLException {
    try (Connection connection = appConnection(A.toString());
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO leads (organization_id, name) VALUES (?, 'smuggled')")) {
      insert.setObject(1, B);
      assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("row-level security");
    }
    try (Connection connection = appConnection(B.toString())) {
      assertThat(strings(connection, "SELECT name FROM leads")).containsExactly("b1");
    }
  }

  @Test
  void insert_unboundConnection_rejected() throws SQLException {
    try (Connection connection = appConnection(null); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate(
          "INSERT INTO leads (organization_id, name) VALUES ('" + A + "', 'orphan')"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void update_organizationToOtherTenant_rejectedByWithCheck() throws SQLException {
    try (Connection connection = appConnection(A.toString());
        PreparedStatement update = connection.prepareStatement(
            "UPDATE leads SET organization_id = ? WHERE name = 'a1'")) {
      update.setObject(1, B);
      assertThatThrownBy(update::executeUpdate).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void updateAndDelete_otherTenantsRows_touchNothing() throws SQLException {
    try (Connection connection = appConnection(A.toString()); Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("UPDATE leads SET name = 'hijacked' WHERE name = 'b1'")).isZero();
      assertThat(statement.executeUpdate("DELETE FROM leads WHERE name = 'b1'")).isZero();
    }
    try (Connection connection = appConnection(B.toString())) {
      assertThat(strings(connection, "SELECT name FROM leads")).containsExactly("b1");
    }
  }

  /** The generated sub-select is planned as an InitPlan: the setting is read once per statement, not per row. */
  @Test
  void explain_tenantQuery_evaluatesSettingOnceAsInitPlan() throws SQLException {
    try (Connection connection = appConnection(A.toString())) {
      String plan = String.join("\n", strings(connection, "EXPLAIN SELECT * FROM leads WHERE name LIKE 'a%'"));

      assertThat(plan).contains("InitPlan");
      assertThat(plan.lines().filter(line -> line.contains("Filter") || line.contains("Cond")))
          .isNotEmpty()
          .noneMatch(line -> line.contains("current_setting"));
    }
  }

  @Test
  void apply_runTwice_leavesFourPoliciesAndNoSecondIndex() throws SQLException {
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies policies = RlsPolicies.builder().tables("leads").applicationRole(app).build();
      policies.apply(owner);
      policies.apply(owner);

      assertThat(strings(owner, "SELECT polname FROM pg_policy WHERE polrelid = 'leads'::regclass ORDER BY 1"))
          .containsExactly("tenancy_leads_delete", "tenancy_leads_insert", "tenancy_leads_select",
              "tenancy_leads_update");
      // The primary key already starts with organization_id, so no extra index is written.
      assertThat(strings(owner, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'leads'::regclass"))
          .containsExactly("leads_pkey");
      assertThat(owner.getAutoCommit()).isTrue();
    }
  }

  @Test
  void apply_callerTransaction_joinedAndLeftToTheCaller() throws SQLException {
    database.execute("CREATE TABLE drafts (organization_id uuid NOT NULL, id uuid NOT NULL,"
        + " PRIMARY KEY (organization_id, id))");
    try (Connection owner = database.adminDataSource().getConnection()) {
      owner.setAutoCommit(false);
      RlsPolicies.builder().tables("drafts").applicationRole(app).build().apply(owner);
      assertThat(strings(owner, "SELECT count(*)::text FROM pg_policy WHERE polrelid = 'drafts'::regclass"))
          .containsExactly("4");

      owner.rollback();

      assertThat(strings(owner, "SELECT count(*)::text FROM pg_policy WHERE polrelid = 'drafts'::regclass"))
          .containsExactly("0");
      assertThat(owner.getAutoCommit()).isFalse();
    }
  }

  @Test
  void apply_primaryKeyNotLeadingWithTenant_createsTenantLeadingIndex() throws SQLException {
    database.execute("CREATE TABLE notes (id uuid PRIMARY KEY, organization_id uuid NOT NULL)");
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().tables("notes").applicationRole(app).build().apply(owner);

      assertThat(strings(owner, "SELECT pg_get_indexdef(indexrelid) FROM pg_index"
          + " WHERE indrelid = 'notes'::regclass AND NOT indisprimary"))
          .containsExactly("CREATE INDEX tenancy_notes_tenant_idx ON public.notes USING btree (organization_id, id)");
    }
  }

  @Test
  void apply_serialColumn_grantsSequenceSoTheAppCanInsert() throws SQLException {
    database.execute("CREATE TABLE tickets (organization_id uuid NOT NULL, number bigserial,"
        + " PRIMARY KEY (organization_id, number))");
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().tables("tickets").applicationRole(app).build().apply(owner);
    }
    try (Connection connection = appConnection(A.toString()); Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("INSERT INTO tickets (organization_id) VALUES ('" + A + "')")).isOne();
    }
  }

  @Test
  void apply_appRoleOwnsTable_refusedAndNothingChanged() throws SQLException {
    database.execute("CREATE TABLE owned (organization_id uuid NOT NULL, id uuid NOT NULL,"
        + " PRIMARY KEY (organization_id, id))", "ALTER TABLE owned OWNER TO " + app);
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies policies = RlsPolicies.builder().tables("owned").applicationRole(app).build();

      assertThatThrownBy(() -> policies.apply(owner)).isInstanceOf(UnsafeApplicationRoleException.class)
          .hasMessageContaining("owns public.owned")
          .satisfies(e -> assertThat(((UnsafeApplicationRoleException) e).role()).isEqualTo(app));
      assertThat(strings(owner, "SELECT relrowsecurity::text FROM pg_class WHERE oid = 'owned'::regclass"))
          .containsExactly("false");
      assertThat(owner.getAutoCommit()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BYPASSRLS", "SUPERUSER"})
  void apply_appRoleThatBypassesRls_refused(String attribute) throws SQLException {
    String unsafe = database.createApplicationRole("unsafe");
    database.execute("ALTER ROLE " + unsafe + " " + attribute);
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies policies = RlsPolicies.builder().tables("leads").applicationRole(unsafe).build();

      assertThatThrownBy(() -> policies.apply(owner)).isInstanceOf(UnsafeApplicationRoleException.class)
          .hasMessageContaining(unsafe).hasMessageContaining(attribute.equals("SUPERUSER") ? "superuser" : "BYPASSRLS");
    }
  }

  @Test
  void apply_unknownTableOrRole_configurationErrorNamingIt() throws SQLException {
    try (Connection owner = database.adminDataSource().getConnection()) {
      assertThatThrownBy(() -> RlsPolicies.builder().tables("nope").applicationRole(app).build().apply(owner))
          .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("public.nope");
      assertThatThrownBy(() -> RlsPolicies.builder().tables("leads").applicationRole("ghost").build().apply(owner))
          .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("ghost");
    }
  }

  private static Connection appConnection(@Nullable String tenant) throws SQLException {
    Connection connection = database.dataSourceFor(app).getConnection();
    if (tenant != null) {
      bind(connection, tenant);
    }
    return connection;
  }

  /** Binds the way TenantAwareDataSource does: a session setting. */
  private static void bind(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("select set_config('tenancy.tenant_id', ?, false)")) {
      statement.setString(1, tenant);
      statement.execute();
    }
  }

  private static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
