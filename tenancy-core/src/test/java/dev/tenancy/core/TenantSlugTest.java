package dev.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TenantSlugTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "Acme",                          // upper case
      "ACME",
      "acme'; drop table tenants;--",  // SQL
      "acme\"; drop schema x",         // quoted identifier break-out
      "../etc/passwd",                 // path
      "acme/leads",
      "acme.realty",                   // dots split identifiers and hosts
      "acme realty",                   // space
      "\u0430cme",                     // Cyrillic 'а' look-alike
      "acmé",                          // non-ASCII letter
      "acme\u0000",                    // NUL
      "",                              // empty
      "a",                             // too short
      "1acme",                         // leading digit
      "-acme",                         // leading hyphen
      "acme-",                         // trailing hyphen
      "acme--realty",                  // double hyphen
      "acme_realty",                   // underscore
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // 64 characters
  })
  void of_invalidText_isRefusedWithTheRule(String text) {
    assertThat(TenantSlug.isValid(text)).isFalse();
    assertThatThrownBy(() -> TenantSlug.of(text))
        .isInstanceOf(TenantValidationException.class)
        .hasMessageContaining(TenantSlug.RULE)
        .satisfies(e -> assertThat(((TenantValidationException) e).field()).isEqualTo("slug"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "acme", "acme-realty", "a1", "x-1-2", "agency42",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) // 63 characters
  void of_validText_isAccepted(String text) {
    assertThat(TenantSlug.of(text).value()).isEqualTo(text);
    assertThat(TenantSlug.isValid(text)).isTrue();
  }

  @Test
  void environmentKey_upperCasesAndReplacesHyphens() {
    assertThat(TenantSlug.of("acme-realty-2").environmentKey()).isEqualTo("ACME_REALTY_2");
  }

  @Test
  void isValid_null_isFalse() {
    assertThat(TenantSlug.isValid(null)).isFalse();
  }
}
