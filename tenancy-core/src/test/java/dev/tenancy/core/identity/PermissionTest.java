package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PermissionTest {

  @Test
  void parse_resourceColonAction_readsBothParts() {
    Permission permission = Permission.parse("leads:write");

    assertThat(permission.resource()).isEqualTo("leads");
    assertThat(permission.action()).isEqualTo("write");
    assertThat(permission).hasToString("leads:write");
    assertThat(permission.isWildcard()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "leads", "leads:", ":write", "leads:write:all", "Leads:write", "leads:Write",
      "leads :write", "1leads:write", "leads:wr ite", "le*ads:write", "leads:**", "leads:write\n", "ĺeads:write"})
  void parse_malformed_refused(String text) {
    assertThatThrownBy(() -> Permission.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permission");
  }

  @Test
  void parse_overlongPart_refusedAndNotEchoedWhole() {
    String text = "a".repeat(10_000) + ":read";

    assertThatThrownBy(() -> Permission.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void implies_wildcards() {
    Permission write = Permission.parse("leads:write");

    assertThat(Permission.parse("leads:write").implies(write)).isTrue();
    assertThat(Permission.parse("leads:*").implies(write)).isTrue();
    assertThat(Permission.parse("*:write").implies(write)).isTrue();
    assertThat(Permission.parse("*:*").implies(write)).isTrue();
    assertThat(Permission.parse("leads:read").implies(write)).isFalse();
    assertThat(Permission.parse("contacts:*").implies(write)).isFalse();
    assertThat(Permission.parse("*:read").implies(write)).isFalse();
    assertThat(Permission.parse("leads:write").implies(Permission.parse("leads:*"))).isFalse();
    assertThat(Permission.parse("*:read").implies(Permission.parse("leads:*"))).isFalse();
  }

  @Test
  void allows_matchesExactlyWhatImpliesMatches() {
    var held = java.util.Set.of(Permission.parse("leads:*"), Permission.parse("*:read"));

    assertThat(RoleCatalog.allows(held, Permission.parse("leads:delete"))).isTrue();
    assertThat(RoleCatalog.allows(held, Permission.parse("invoices:read"))).isTrue();
    assertThat(RoleCatalog.allows(held, Permission.parse("invoices:write"))).isFalse();
    assertThat(RoleCatalog.allows(held, Permission.parse("leads:*"))).isTrue();
    assertThat(RoleCatalog.allows(held, Permission.parse("*:write"))).isFalse();
    assertThat(RoleCatalog.allows(java.util.Set.of(), Permission.parse("leads:read"))).isFalse();
  }
}
