package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.SQLException;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier on real PostgreSQL, for what surrounds the policies: the application role, views, functions, indexes,
 * keys and sequences. Each fixture is the clean set-up broken in one place.
 */
class IsolationVerifierObjectsIT {

  private static VerifierFixture fixture;

  @BeforeAll
  static void createDatabase() {
    fixture = new VerifierFixture();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void verify_appRoleOwnsTenantTable_flagged() throws SQLException {
    fixture.goodTable("owned", "accounts");
    fixture.database.execute("ALTER TABLE owned.accounts OWNER TO " + fixture.app);

    Finding finding = fixture.single("owned", FindingType.APP_ROLE_OWNS_TABLE, "owned.accounts");

    assertThat(finding.message()).contains(fixture.app).contains("OWNER TO");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BYPASSRLS", "SUPERUSER"})
  void verify_appRoleBypassesRls_flagged(String attribute) throws SQLException {
    fixture.goodTable("bypass_" + attribute.toLowerCase(Locale.ROOT), "accounts");
    String role = fixture.database.createApplicationRole("bypass");
    fixture.database.execute("ALTER ROLE " + role + " " + attribute);

    IsolationReport report = IsolationVerifier.forPostgres().applicationRole(role)
        .schemas("bypass_" + attribute.toLowerCase(Locale.ROOT)).verify(fixture.database.adminDataSource());

    Finding finding = report.findings(FindingType.APP_ROLE_BYPASSES_RLS).get(0);
    assertThat(finding.object()).isEqualTo("role " + role);
    assertThat(finding.message()).contains(role).contains("NOBYPASSRLS");
  }

  @Test
  void verify_viewWithoutSecurityInvoker_flagged() throws SQLException {
    fixture.goodTable("plain_view", "accounts");
    fixture.database.execute("CREATE VIEW plain_view.account_emails AS SELECT email FROM plain_view.accounts");

    Finding finding = fixture.single("plain_view", FindingType.VIEW_BYPASSES_RLS, "plain_view.account_emails");

    assertThat(finding.message()).contains("plain_view.accounts").contains("security_invoker = true");
  }

  @Test
  void verify_viewOverSecurityInvokerView_flaggedThroughTheChain() throws SQLException {
    fixture.goodTable("view_chain", "accounts");
    fixture.database.execute(
        "CREATE VIEW view_chain.inner_v WITH (security_invoker = on) AS SELECT * FROM view_chain.accounts",
        "CREATE VIEW view_chain.outer_v AS SELECT email FROM view_chain.inner_v");

    fixture.single("view_chain", FindingType.VIEW_BYPASSES_RLS, "view_chain.outer_v");
  }

  @Test
  void verify_materializedViewOverTenantTable_flagged() throws SQLException {
    fixture.goodTable("mat_view", "accounts");
    fixture.database.execute("CREATE MATERIALIZED VIEW mat_view.snapshot AS SELECT * FROM mat_view.accounts");

    Finding finding = fixture.single("mat_view", FindingType.VIEW_BYPASSES_RLS, "mat_view.snapshot");

    assertThat(finding.message()).contains("Materialized view");
  }

  @Test
  void verify_securityDefinerFunctionReadingTenantTable_flagged() throws SQLException {
    fixture.goodTable("definer", "accounts");
    fixture.database.execute("CREATE FUNCTION definer.count_accounts() RETURNS bigint LANGUAGE sql SECURITY DEFINER"
        + " AS $$ SELECT count(*) FROM definer.accounts $$");

    Finding finding = fixture.single("definer", FindingType.SECURITY_DEFINER_FUNCTION, "definer.count_accounts()");

    assertThat(finding.message()).contains("definer.accounts").contains("SECURITY INVOKER");
  }

  @Test
  void verify_securityDefinerFunctionWithSqlStandardBody_flaggedThroughItsDependencies() throws SQLException {
    fixture.goodTable("atomic", "accounts");
    fixture.database.execute("CREATE FUNCTION atomic.total() RETURNS bigint LANGUAGE sql SECURITY DEFINER"
        + " BEGIN ATOMIC SELECT count(*) FROM atomic.accounts; END");

    fixture.single("atomic", FindingType.SECURITY_DEFINER_FUNCTION, "atomic.total()");
  }

  @Test
  void verify_uniqueIndexWithoutTenantColumn_flaggedAsExistenceOracle() throws SQLException {
    fixture.goodTable("oracle", "accounts");
    fixture.database.execute("CREATE UNIQUE INDEX accounts_email_global ON oracle.accounts (email)");

    Finding finding = fixture.single("oracle", FindingType.UNIQUE_WITHOUT_TENANT_COLUMN,
        "oracle.accounts_email_global");

    assertThat(finding.message()).contains("oracle.accounts").contains("another tenant");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bigserial", "bigint GENERATED ALWAYS AS IDENTITY"})
  void verify_sequenceBackedColumn_flagged(String type) throws SQLException {
    String schema = type.startsWith("bigserial") ? "serial_key" : "identity_key";
    fixture.database.execute("CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".invoices ("
        + "organization_id uuid NOT NULL, number " + type + ", PRIMARY KEY (organization_id, number))");
    fixture.applyPolicies(schema, "invoices");

    Finding finding = fixture.single(schema, FindingType.SEQUENCE_KEY, schema + ".invoices.number");

    assertThat(finding.message()).contains("gen_random_uuid()");
  }

  @Test
  void verify_noIndexStartingWithTenantColumn_flagged() throws SQLException {
    fixture.database.execute("CREATE SCHEMA no_index", "CREATE TABLE no_index.events (id uuid NOT NULL,"
        + " organization_id uuid NOT NULL, PRIMARY KEY (id, organization_id))");
    fixture.applyPolicies("no_index", "events");
    fixture.database.execute("DROP INDEX no_index.tenancy_events_tenant_idx");

    Finding finding = fixture.single("no_index", FindingType.TENANT_INDEX_MISSING, "no_index.events");

    assertThat(finding.message()).contains("CREATE INDEX");
  }

  @Test
  void verify_primaryKeyWithoutTenantColumn_flagged() throws SQLException {
    fixture.database.execute("CREATE SCHEMA global_pk", "CREATE TABLE global_pk.contacts (id uuid PRIMARY KEY,"
        + " organization_id uuid NOT NULL)");
    fixture.applyPolicies("global_pk", "contacts");

    Finding finding = fixture.single("global_pk", FindingType.PRIMARY_KEY_WITHOUT_TENANT_COLUMN, "contacts_pkey");

    assertThat(finding.message()).contains("global_pk.contacts").contains("Citus");
  }

  @Test
  void verify_foreignKeyWithoutTenantColumn_flagged() throws SQLException {
    fixture.goodTable("loose_fk", "accounts");
    fixture.database.execute("CREATE TABLE loose_fk.deals (organization_id uuid NOT NULL, id uuid NOT NULL,"
        + " account_id uuid NOT NULL, PRIMARY KEY (organization_id, id))",
        "ALTER TABLE loose_fk.accounts ADD CONSTRAINT accounts_id_key UNIQUE (id)",
        "ALTER TABLE loose_fk.deals ADD CONSTRAINT deals_same_tenant FOREIGN KEY (account_id, organization_id)"
            + " REFERENCES loose_fk.accounts (id, organization_id)",
        "ALTER TABLE loose_fk.deals ADD CONSTRAINT deals_any_account FOREIGN KEY (account_id)"
            + " REFERENCES loose_fk.accounts (id)");
    fixture.applyPolicies("loose_fk", "deals");

    IsolationReport report = fixture.verify("loose_fk");

    // The key pairing the tenant columns (in any position) passes; the one on id alone needs a global unique id.
    assertThat(report.findings()).as(report.toString()).extracting(Finding::type, Finding::object)
        .containsExactlyInAnyOrder(tuple(FindingType.UNIQUE_WITHOUT_TENANT_COLUMN, "loose_fk.accounts_id_key"),
            tuple(FindingType.FOREIGN_KEY_WITHOUT_TENANT_COLUMN, "deals_any_account"));
    assertThat(report.findings(FindingType.FOREIGN_KEY_WITHOUT_TENANT_COLUMN).get(0).message())
        .contains("loose_fk.deals").contains("loose_fk.accounts").contains("ignore row-level security");
  }
}
