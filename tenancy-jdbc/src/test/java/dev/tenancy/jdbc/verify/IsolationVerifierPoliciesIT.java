package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tenancy.core.TenancyConfigurationException;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier on real PostgreSQL: the clean set-up passes, each broken table or policy is flagged. */
class IsolationVerifierPoliciesIT {

  private static final String POLICY =
      "organization_id = (select NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)";

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
  void verify_setUpByRlsPolicies_clean() throws SQLException {
    fixture.goodTable("clean", "accounts");
    fixture.database.execute("CREATE TABLE clean.deals (organization_id uuid NOT NULL, id uuid NOT NULL,"
            + " account_id uuid NOT NULL, PRIMARY KEY (organization_id, id),"
            + " FOREIGN KEY (organization_id, account_id) REFERENCES clean.accounts (organization_id, id))",
        "CREATE TABLE clean.countries (code text PRIMARY KEY, id bigserial UNIQUE)",
        "CREATE VIEW clean.deal_counts WITH (security_invoker = true) AS"
            + " SELECT organization_id, count(*) FROM clean.deals GROUP BY organization_id",
        "CREATE FUNCTION clean.country_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER"
            + " AS $$ SELECT count(*) FROM clean.countries $$");
    fixture.applyPolicies("clean", "deals");

    IsolationReport report = fixture.verify("clean");

    assertThat(report.findings()).as(report.toString()).isEmpty();
    assertThat(report.isClean()).isTrue();
    assertThat(report.tenantTables()).containsExactly("clean.accounts", "clean.deals");
    assertThat(report.toString()).startsWith("Isolation report: clean (checked 2: clean.accounts, clean.deals)");
  }

  @Test
  void verify_connectingAsTheAppRole_checksThatRoleAndIsClean() throws SQLException {
    fixture.goodTable("as_app", "accounts");

    IsolationReport report = IsolationVerifier.forPostgres().schemas("as_app")
        .verify(fixture.database.dataSourceFor(fixture.app));

    assertThat(report.findings()).as(report.toString()).isEmpty();
  }

  @Test
  void verify_rlsDisabled_flagged() throws SQLException {
    fixture.goodTable("rls_off", "accounts");
    fixture.database.execute("ALTER TABLE rls_off.accounts DISABLE ROW LEVEL SECURITY");

    Finding finding = fixture.single("rls_off", FindingType.RLS_DISABLED, "rls_off.accounts");

    assertThat(finding.message()).contains("ENABLE ROW LEVEL SECURITY");
  }

  @Test
  void verify_rlsNotForced_flagged() throws SQLException {
    fixture.goodTable("no_force", "accounts");
    fixture.database.execute("ALTER TABLE no_force.accounts NO FORCE ROW LEVEL SECURITY");

    Finding finding = fixture.single("no_force", FindingType.RLS_NOT_FORCED, "no_force.accounts");

    assertThat(finding.message()).contains("FORCE ROW LEVEL SECURITY");
  }

  @Test
  void verify_deletePolicyMissing_flaggedForThatCommand() throws SQLException {
    fixture.goodTable("no_delete", "accounts");
    fixture.database.execute("DROP POLICY tenancy_accounts_delete ON no_delete.accounts");

    Finding finding = fixture.single("no_delete", FindingType.POLICY_MISSING, "no_delete.accounts");

    assertThat(finding.message()).contains("DELETE").contains("CREATE POLICY");
  }

  @Test
  void verify_allPolicyWithoutWithCheck_flagged() throws SQLException {
    fixture.goodTable("no_check", "accounts");
    dropGeneratedPolicies("no_check");
    fixture.database.execute("CREATE POLICY everything ON no_check.accounts TO " + fixture.app
        + " USING (" + POLICY + ")");

    Finding finding = fixture.single("no_check", FindingType.POLICY_WITHOUT_WITH_CHECK, "no_check.accounts");

    assertThat(finding.object()).isEqualTo("policy everything on no_check.accounts");
    assertThat(finding.message()).contains("WITH CHECK");
  }

  @Test
  void verify_extraPermissivePolicyThatIgnoresTheTenant_flagged() throws SQLException {
    fixture.goodTable("open_peek", "accounts");
    fixture.database.execute("CREATE POLICY peek ON open_peek.accounts FOR SELECT USING (true)");

    Finding finding = fixture.single("open_peek", FindingType.POLICY_NOT_TENANT_SCOPED, "open_peek.accounts");

    assertThat(finding.object()).isEqualTo("policy peek on open_peek.accounts");
    assertThat(finding.message()).contains("OR-ed");
  }

  @Test
  void verify_permissiveOpenPolicyUnderTenantRestrictivePolicy_clean() throws SQLException {
    fixture.goodTable("restricted", "accounts");
    dropGeneratedPolicies("restricted");
    fixture.database.execute(
        "CREATE POLICY anything ON restricted.accounts USING (true) WITH CHECK (true)",
        "CREATE POLICY tenant ON restricted.accounts AS RESTRICTIVE USING (" + POLICY + ") WITH CHECK (" + POLICY
            + ")");

    IsolationReport report = fixture.verify("restricted");

    assertThat(report.findings()).as(report.toString()).isEmpty();
  }

  @Test
  void verify_policyForAnotherRoleOnly_doesNotCountForTheAppRole() throws SQLException {
    fixture.goodTable("other_role", "accounts");
    fixture.database.execute("CREATE POLICY admin_sees_all ON other_role.accounts TO postgres USING (true)");

    assertThat(fixture.verify("other_role").isClean()).isTrue();
  }

  @Test
  void verify_policyThatPassesWhenSettingIsUnset_flaggedAsFailOpen() throws SQLException {
    fixture.goodTable("fail_open", "accounts");
    fixture.database.execute("DROP POLICY tenancy_accounts_select ON fail_open.accounts",
        "CREATE POLICY lenient ON fail_open.accounts FOR SELECT USING (" + POLICY
            + " OR (select current_setting('tenancy.tenant_id', true)) IS NULL)");

    Finding finding = fixture.single("fail_open", FindingType.POLICY_FAILS_OPEN, "fail_open.accounts");

    assertThat(finding.object()).isEqualTo("policy lenient on fail_open.accounts");
    assertThat(finding.message()).contains("NULLIF");
  }

  @Test
  void verify_bareCurrentSettingInPolicy_flaggedAsPerRow() throws SQLException {
    fixture.goodTable("per_row", "accounts");
    fixture.database.execute("DROP POLICY tenancy_accounts_select ON per_row.accounts",
        "CREATE POLICY slow ON per_row.accounts FOR SELECT"
            + " USING (organization_id = NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)");

    Finding finding = fixture.single("per_row", FindingType.POLICY_PER_ROW_SETTING, "per_row.accounts");

    assertThat(finding.message()).contains("InitPlan");
  }

  @Test
  void verify_policyOnAnotherSetting_flaggedAsNotTenantScoped() throws SQLException {
    fixture.goodTable("wrong_setting", "accounts");

    IsolationReport report = fixture.verifier("wrong_setting").setting("app.org").verify(
        fixture.database.adminDataSource());

    assertThat(report.findings(FindingType.POLICY_NOT_TENANT_SCOPED)).hasSize(4)
        .allSatisfy(finding -> assertThat(finding.message()).contains("current_setting('app.org', true)"));
  }

  @Test
  void verify_excludedTable_notChecked() throws SQLException {
    fixture.goodTable("excluded", "accounts");
    fixture.database.execute("CREATE TABLE excluded.platform_audit (organization_id uuid, event text)");

    IsolationReport report = fixture.verifier("excluded").excluding("excluded.platform_audit")
        .verify(fixture.database.adminDataSource());

    assertThat(report.findings()).as(report.toString()).isEmpty();
    assertThat(report.tenantTables()).containsExactly("excluded.accounts");
  }

  @Test
  void verify_noTableHasTheTenantColumn_flaggedInsteadOfPassing() throws SQLException {
    fixture.goodTable("typo", "accounts");

    IsolationReport report = fixture.verifier("typo").tenantColumn("organisation_id")
        .verify(fixture.database.adminDataSource());

    assertThat(report.findings()).extracting(Finding::type).containsExactly(FindingType.NO_TENANT_TABLES);
    assertThat(report.findings().get(0).message()).contains("organisation_id");
  }

  @Test
  void verify_declaredTableWithoutTenantColumn_flagged() throws SQLException {
    fixture.goodTable("declared", "accounts");
    fixture.database.execute("CREATE TABLE declared.notes (id uuid PRIMARY KEY, body text)");

    IsolationReport report = fixture.verifier("declared").tables("declared.notes", "declared.missing")
        .verify(fixture.database.adminDataSource());

    assertThat(report.findings()).extracting(Finding::type, Finding::object).containsExactly(
        tuple(FindingType.TENANT_COLUMN_MISSING, "declared.notes"),
        tuple(FindingType.TENANT_COLUMN_MISSING, "declared.missing"));
  }

  @Test
  void assertClean_brokenSchema_throwsListingEveryFinding() throws SQLException {
    fixture.goodTable("broken", "accounts");
    fixture.database.execute("ALTER TABLE broken.accounts DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE broken.accounts NO FORCE ROW LEVEL SECURITY");
    IsolationReport report = fixture.verify("broken");

    assertThatThrownBy(report::assertClean).isInstanceOf(IsolationViolationException.class)
        .hasMessageContaining("2 findings")
        .hasMessageContaining("1. RLS_DISABLED broken.accounts")
        .hasMessageContaining("2. RLS_NOT_FORCED broken.accounts")
        .satisfies(e -> assertThat(((IsolationViolationException) e).findings()).hasSize(2));
  }

  @Test
  void verify_unknownApplicationRole_configurationError() {
    assertThatThrownBy(() -> IsolationVerifier.forPostgres().applicationRole("nobody_here")
        .verify(fixture.database.adminDataSource()))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("nobody_here");
  }

  private static void dropGeneratedPolicies(String schema) {
    for (String command : new String[] {"select", "insert", "update", "delete"}) {
      fixture.database.execute("DROP POLICY tenancy_accounts_" + command + " ON " + schema + ".accounts");
    }
  }
}
