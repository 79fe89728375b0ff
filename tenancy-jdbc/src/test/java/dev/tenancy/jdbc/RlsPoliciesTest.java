package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RlsPoliciesTest {

  private static final String PREDICATE =
      "\"organization_id\" = (select NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)";

  @Test
  void statements_defaults_enableForceFourPoliciesIndexAndGrants() {
    RlsPolicies policies = RlsPolicies.builder().tables("leads").applicationRole("app").build();

    assertThat(policies.predicate()).isEqualTo(PREDICATE);
    assertThat(policies.statements()).containsExactly(
        "ALTER TABLE \"public\".\"leads\" ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE \"public\".\"leads\" FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS \"tenancy_leads_select\" ON \"public\".\"leads\"",
        "CREATE POLICY \"tenancy_leads_select\" ON \"public\".\"leads\" AS PERMISSIVE FOR SELECT TO \"app\" USING ("
            + PREDICATE + ")",
        "DROP POLICY IF EXISTS \"tenancy_leads_insert\" ON \"public\".\"leads\"",
        "CREATE POLICY \"tenancy_leads_insert\" ON \"public\".\"leads\" AS PERMISSIVE FOR INSERT TO \"app\""
            + " WITH CHECK (" + PREDICATE + ")",
        "DROP POLICY IF EXISTS \"tenancy_leads_update\" ON \"public\".\"leads\"",
        "CREATE POLICY \"tenancy_leads_update\" ON \"public\".\"leads\" AS PERMISSIVE FOR UPDATE TO \"app\" USING ("
            + PREDICATE + ") WITH CHECK (" + PREDICATE + ")",
        "DROP POLICY IF EXISTS \"tenancy_leads_delete\" ON \"public\".\"leads\"",
        "CREATE POLICY \"tenancy_leads_delete\" ON \"public\".\"leads\" AS PERMISSIVE FOR DELETE TO \"app\" USING ("
            + PREDICATE + ")",
        "CREATE INDEX IF NOT EXISTS \"tenancy_leads_tenant_idx\" ON \"public\".\"leads\" (\"organization_id\")",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \"public\".\"leads\" TO \"app\"");
  }

  @Test
  void statements_customColumnSettingSchemaAndPublicPolicies_usedEverywhere() {
    RlsPolicies policies = RlsPolicies.builder().schema("crm").tables("deals").tenantColumn("tenant_id")
        .setting("app.tenant").applicationRole("web").policiesForAllRoles().build();

    assertThat(policies.predicate())
        .isEqualTo("\"tenant_id\" = (select NULLIF(current_setting('app.tenant', true), '')::uuid)");
    assertThat(policies.statements())
        .contains("ALTER TABLE \"crm\".\"deals\" FORCE ROW LEVEL SECURITY",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \"crm\".\"deals\" TO \"web\"")
        .filteredOn(sql -> sql.startsWith("CREATE POLICY"))
        .hasSize(4)
        .allSatisfy(sql -> assertThat(sql).contains(" TO PUBLIC ").contains("current_setting('app.tenant', true)"));
  }

  @Test
  void statements_hostileTableName_staysOneQuotedIdentifier() {
    RlsPolicies policies = RlsPolicies.builder().tables("x\"; DROP TABLE users; --").applicationRole("app").build();

    assertThat(policies.statements().get(0))
        .isEqualTo("ALTER TABLE \"public\".\"x\"\"; DROP TABLE users; --\" ENABLE ROW LEVEL SECURITY");
  }

  @Test
  void build_settingThatCouldEndTheLiteral_rejected() {
    assertThatThrownBy(() -> RlsPolicies.builder().tables("leads").applicationRole("app")
        .setting("tenancy.x', true) or true or ('").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenancy.tenant_id");
    assertThatThrownBy(() -> RlsPolicies.builder().tables("leads").applicationRole("app").setting("Tenancy.Id")
        .build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_withoutTablesOrRole_rejectedWithTheFix() {
    assertThatThrownBy(() -> RlsPolicies.builder().applicationRole("app").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".tables(");
    assertThatThrownBy(() -> RlsPolicies.builder().tables("leads").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".applicationRole(");
    assertThatThrownBy(() -> RlsPolicies.builder().tables("leads").applicationRole("PUBLIC").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void name_tableNameNearTheLimit_shortenedUniquelyWithin63Bytes() {
    String a = "a".repeat(50) + "_first";
    String b = "a".repeat(50) + "_second";

    String nameA = RlsPolicies.name(a, "select");
    String nameB = RlsPolicies.name(b, "select");

    assertThat(nameA.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
    assertThat(nameA).startsWith("tenancy_aaaa").endsWith("_select").isNotEqualTo(nameB);
    assertThat(RlsPolicies.name("ü".repeat(40), "delete").getBytes(StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(63);
    assertThat(RlsPolicies.name("leads", "select")).isEqualTo("tenancy_leads_select");
  }
}
