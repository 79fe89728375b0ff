package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The expression checks, on text exactly as PostgreSQL 15's {@code pg_get_expr} prints policies. */
class PolicyExpressionsTest {

  private static final String GENERATED = "(organization_id = ( SELECT (NULLIF(current_setting('tenancy.tenant_id'::"
      + "text, true), ''::text))::uuid AS \"nullif\"))";
  private static final String BARE = "(organization_id = (current_setting('tenancy.tenant_id'::text))::uuid)";
  private static final String FAIL_OPEN = "((organization_id = ( SELECT (NULLIF(current_setting('tenancy.tenant_id'::"
      + "text, true), ''::text))::uuid AS \"nullif\")) OR (current_setting('tenancy.tenant_id'::text, true) IS NULL))";

  @Test
  void referencesTenant_generatedPredicate_true() {
    assertThat(PolicyExpressions.referencesTenant(GENERATED, "organization_id", "tenancy.tenant_id")).isTrue();
  }

  @Test
  void referencesTenant_otherColumnOrSettingOrConstant_false() {
    assertThat(PolicyExpressions.referencesTenant(GENERATED, "tenant_id", "tenancy.tenant_id")).isFalse();
    assertThat(PolicyExpressions.referencesTenant(GENERATED, "organization_id", "app.org")).isFalse();
    assertThat(PolicyExpressions.referencesTenant("true", "organization_id", "tenancy.tenant_id")).isFalse();
    assertThat(PolicyExpressions.referencesTenant("(owner_organization_id = ( SELECT current_setting("
        + "'tenancy.tenant_id'::text)::uuid))", "organization_id", "tenancy.tenant_id")).isFalse();
  }

  @Test
  void failsOpen_isNullOrCoalesce_true() {
    assertThat(PolicyExpressions.failsOpen(FAIL_OPEN)).isTrue();
    assertThat(PolicyExpressions.failsOpen("(organization_id = COALESCE(( SELECT NULLIF(current_setting("
        + "'tenancy.tenant_id'::text, true), ''::text))::uuid, organization_id))")).isTrue();
    assertThat(PolicyExpressions.failsOpen(GENERATED)).isFalse();
  }

  @Test
  void evaluatedPerRow_settingOutsideSubSelect_true() {
    assertThat(PolicyExpressions.evaluatedPerRow(BARE)).isTrue();
    assertThat(PolicyExpressions.evaluatedPerRow(FAIL_OPEN)).isTrue();
    assertThat(PolicyExpressions.evaluatedPerRow(GENERATED)).isFalse();
    assertThat(PolicyExpressions.evaluatedPerRow("(name <> 'current_setting(x)')")).isFalse();
  }

  @Test
  void recommended_matchesWhatRlsPoliciesGenerates() {
    assertThat(PolicyExpressions.recommended("organization_id", "tenancy.tenant_id")).isEqualTo(
        dev.tenancy.jdbc.RlsPolicies.builder().tables("t").applicationRole("app").build().predicate());
  }
}
