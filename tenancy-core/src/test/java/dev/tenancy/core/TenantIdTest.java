package dev.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

  @Test
  void of_canonicalText_roundTripsInLowerCase() {
    String upper = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    TenantId id = TenantId.of(upper);
    assertThat(id.toString()).isEqualTo(upper.toLowerCase());
    assertThat(TenantId.of(id.toString())).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-1-1-1-1", "3f2504e04f8941d39a0c0305e82c3301", "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
      "3f2504e0-4f89-41d3-9a0c-0305e82c330", "3f2504e0-4f89-41d3-9a0c-0305e82c33011", "zf2504e0-4f89-41d3-9a0c-0305e82c3301",
      "3f2504e0_4f89_41d3_9a0c_0305e82c3301", "", "acme", "' or 1=1 --"})
  void of_nonCanonicalText_isRefused(String text) {
    assertThat(TenantId.isValid(text)).isFalse();
    assertThatThrownBy(() -> TenantId.of(text))
        .isInstanceOf(TenantValidationException.class)
        .hasMessageContaining("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  }

  @Test
  void nilUuid_isNeverATenant() {
    assertThat(TenantId.isValid("00000000-0000-0000-0000-000000000000")).isFalse();
    assertThatThrownBy(() -> TenantId.of(new UUID(0, 0))).isInstanceOf(TenantValidationException.class)
        .hasMessageContaining("nil UUID");
  }

  @Test
  void random_producesDistinctValidIds() {
    TenantId a = TenantId.random();
    TenantId b = TenantId.random();
    assertThat(a).isNotEqualTo(b);
    assertThat(TenantId.isValid(a.toString())).isTrue();
  }

  /** Ids are map keys everywhere (caches, quota state): equal ids from any source must meet in one entry. */
  @Test
  void sameUuidFromTextAndFromUuid_equalWithEqualHashes_andUnequalToAnother() {
    UUID uuid = UUID.fromString("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    TenantId fromUuid = TenantId.of(uuid);
    TenantId fromText = TenantId.of("3F2504E0-4F89-41D3-9A0C-0305E82C3301");
    java.util.Map<TenantId, String> byId = new java.util.HashMap<>(java.util.Map.of(fromUuid, "acme"));

    assertThat(fromText).isEqualTo(fromUuid).hasSameHashCodeAs(fromUuid).isNotSameAs(fromUuid);
    assertThat(byId).containsEntry(fromText, "acme");
    assertThat(TenantId.of(new UUID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits())))
        .isNotEqualTo(fromUuid);
  }
}
