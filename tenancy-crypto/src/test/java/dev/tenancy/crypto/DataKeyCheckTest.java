package dev.tenancy.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataKeyCheckTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final InMemoryTenantKeyStore store = new InMemoryTenantKeyStore();
  private final EnvironmentKekProvider kek = Fixtures.kek1();
  private final TenantKeys keys = Fixtures.keys(kek, store);
  private final DataKeyCheck check = new DataKeyCheck(kek, store);

  private static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  @Test
  void liveTenantWhoseKeysUnwrap_isUp_andTheResultHoldsNoKeyBytes() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    keys.create(acme.id());
    keys.rotate(acme.id());

    CheckResult result = check.check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.facts()).containsEntry("versions", 2).containsEntry("currentVersion", 2)
        .containsEntry("kekIds", "kek-1").containsEntry("wrappedByOlderKek", 0);
    String wrapped = Base64.getEncoder().encodeToString(store.versions(acme.id()).get(0).wrapped().ciphertext());
    assertThat(result.toString()).doesNotContain(wrapped.substring(0, 12));
  }

  @Test
  void liveTenantWithoutKeys_isDown() {
    CheckResult result = check.check(tenant("acme", TenantStatus.SUSPENDED));

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("no data key").contains("Restore the key store");
  }

  @Test
  void purgedTenantWithoutKeys_isUp_butWithKeysBroughtBackByARestore_isDegraded() {
    Tenant purged = tenant("purged", TenantStatus.DELETED);
    assertThat(check.check(purged).status()).isEqualTo(HealthStatus.UP);
    assertThat(check.check(purged).detail()).contains("crypto-shredded as intended");

    keys.create(purged.id());
    CheckResult restored = check.check(purged);

    assertThat(restored.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(restored.detail()).contains("destroy the keys again");
  }

  @Test
  void provisioningTenantWithoutKeys_isUp() {
    assertThat(check.check(tenant("fresh", TenantStatus.PROVISIONING)).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void keysWrappedByAKekVersionThatIsNotLoaded_areDown() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    keys.create(acme.id());
    EnvironmentKekProvider onlyKek2 = EnvironmentKekProvider.builder(Fixtures.environment())
        .current("kek-2", "KEK_TWO").build();

    CheckResult result = new DataKeyCheck(onlyKek2, store).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("kek-1").contains("not loaded");
    assertThat(result.facts()).containsEntry("failedVersions", "[1]");
  }

  @Test
  void alteredWrappedKey_isDown_andTheOtherTenantStaysUp() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    Tenant other = tenant("other", TenantStatus.ACTIVE);
    keys.create(acme.id());
    keys.create(other.id());
    TenantDataKey stored = store.versions(acme.id()).get(0);
    byte[] bytes = stored.wrapped().ciphertext();
    bytes[bytes.length - 1] ^= 1;
    store.rewrap(new TenantDataKey(acme.id(), 1, new WrappedKey("kek-1", bytes), stored.createdAt()));

    CheckResult result = check.check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("altered");
    assertThat(check.check(other).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void anotherTenantsWrappedKeyCopiedIntoTheRow_isDown() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    Tenant victim = tenant("victim", TenantStatus.ACTIVE);
    keys.create(acme.id());
    keys.create(victim.id());
    TenantDataKey victims = store.versions(victim.id()).get(0);
    store.rewrap(new TenantDataKey(acme.id(), 1, victims.wrapped(), victims.createdAt()));

    assertThat(check.check(acme).status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void duringKekRotation_keysWrappedByTheOlderKek_areUp_andCounted() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    keys.create(acme.id());

    CheckResult result = new DataKeyCheck(Fixtures.kek2WithPrevious(), store).check(acme);

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.facts()).containsEntry("wrappedByOlderKek", 1);
    assertThat(result.detail()).contains("rewrapAll");
  }

  @Test
  void platformForm_probesTheKek_andCountsKeysOfUnknownTenants() {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    keys.create(acme.id());

    CheckResult clean = check.checkPlatform(List.of(acme)).orElseThrow();
    assertThat(clean.status()).isEqualTo(HealthStatus.UP);
    assertThat(clean.facts()).containsEntry("kekId", "kek-1").containsEntry("keysOfUnknownTenants", 0L);

    keys.create(TenantId.random());
    CheckResult unknown = check.checkPlatform(List.of(acme)).orElseThrow();
    assertThat(unknown.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(unknown.facts()).containsEntry("keysOfUnknownTenants", 1L);
  }

  @Test
  void platformForm_kekThatCannotUnwrap_isDown() {
    KeyEncryptionKeyProvider broken = new KeyEncryptionKeyProvider() {
      @Override
      public String currentKeyId() {
        return "kek-9";
      }

      @Override
      public WrappedKey wrap(byte[] dataKey, byte[] context) {
        return new WrappedKey("kek-9", new byte[44]);
      }

      @Override
      public byte[] unwrap(WrappedKey wrapped, byte[] context) {
        throw new KeyUnwrapFailedException("kek-9", "that KEK version is not loaded");
      }
    };

    CheckResult result = new DataKeyCheck(broken, store).checkPlatform(List.of()).orElseThrow();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("kek-9").contains("not loaded");
  }
}
