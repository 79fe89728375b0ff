package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Option misuse is a programming error, reported before any database is touched. */
class IsolationVerifierTest {

  @Test
  void options_ofTheOtherDialect_rejected() {
    assertThatThrownBy(() -> IsolationVerifier.forH2().applicationRole("app"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("POSTGRES");
    assertThatThrownBy(() -> IsolationVerifier.forPostgres().tenantSchemaPrefix("tenant_"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("H2");
  }

  @Test
  void setting_notTwoLowerCaseParts_rejected() {
    assertThatThrownBy(() -> IsolationVerifier.forPostgres().setting("tenant_id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenancy.tenant_id");
  }

  @Test
  void tables_blankPart_rejected() {
    assertThatThrownBy(() -> IsolationVerifier.forPostgres().tables("public."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void options_returnNewVerifier_originalUnchanged() {
    IsolationVerifier base = IsolationVerifier.forPostgres();
    IsolationVerifier configured = base.applicationRole("app").tenantColumn("tenant_id");

    assertThat(base.toString()).contains("organization_id").contains("<connection's role>");
    assertThat(configured.toString()).contains("tenant_id").contains("applicationRole=app");
  }
}
