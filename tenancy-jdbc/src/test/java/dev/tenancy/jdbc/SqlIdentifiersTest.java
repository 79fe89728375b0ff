package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantSlug;
import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {

  @Test
  void quote_embeddedQuotes_areDoubledSoTheIdentifierCannotBeClosedEarly() {
    assertThat(SqlIdentifiers.quote("leads\"; DROP TABLE tenants; --"))
        .isEqualTo("\"leads\"\"; DROP TABLE tenants; --\"");
    assertThat(SqlIdentifiers.quoteQualified("public.leads")).isEqualTo("\"public\".\"leads\"");
  }

  @Test
  void quote_refusesEmptyControlCharactersAndTruncatableNames() {
    assertThatThrownBy(() -> SqlIdentifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlIdentifiers.quote("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlIdentifiers.quote("x".repeat(64))).hasMessageContaining("truncated");
  }

  @Test
  void tenantSchema_isBuiltOnlyFromValidatedSlugsAndASafePrefix() {
    assertThat(SqlIdentifiers.tenantSchema("tenant_", TenantSlug.of("acme-realty"))).isEqualTo("tenant_acme_realty");
    assertThatThrownBy(() -> SqlIdentifiers.tenantSchema("x\"; drop", TenantSlug.of("acme")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlIdentifiers.tenantSchema("tenant_", TenantSlug.of("acme\"; drop schema public")))
        .hasMessageContaining(TenantSlug.RULE);
  }
}
