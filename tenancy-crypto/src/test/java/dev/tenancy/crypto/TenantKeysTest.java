package dev.tenancy.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantKeysTest {

  private static final TenantId ACME = TenantId.of("0f8fad5b-d9cb-469f-a165-70867728950e");
  private static final TenantId GLOBEX = TenantId.of("7c9e6679-7425-40de-944b-e07fc1f90ae7");

  private final InMemoryTenantKeyStore store = new InMemoryTenantKeyStore();
  private final EnvironmentKekProvider kek = Fixtures.kek1();

  @Test
  void create_isIdempotent() {
    TenantKeys keys = Fixtures.keys(kek, store);
    assertThat(keys.create(ACME)).isEqualTo(1);
    assertThat(keys.create(ACME)).isEqualTo(1);
    assertThat(store.versions(ACME)).hasSize(1);
    assertThat(store.versions(ACME).get(0).wrapped().keyId()).isEqualTo("kek-1");
  }

  @Test
  void encrypt_pastTheLimit_rotatesBeforeTheNextEncryption() {
    TenantKeys keys = TenantKeys.builder(kek, store).maxEncryptionsPerKey(3).build();
    TenantCipher cipher = TenantCipher.of(keys);
    keys.create(ACME);
    byte[][] out = new byte[7][];
    for (int i = 0; i < out.length; i++) {
      out[i] = cipher.encrypt(ACME, "p", new byte[] {(byte) i});
    }
    assertThat(java.util.Arrays.stream(out).map(c -> ByteBuffer.wrap(c, 1, 4).getInt()))
        .containsExactly(1, 1, 1, 2, 2, 2, 3);
    assertThat(keys.encryptions(ACME, 1)).isGreaterThanOrEqualTo(3);
    for (int i = 0; i < out.length; i++) {
      assertThat(cipher.decrypt(ACME, "p", out[i])).containsExactly((byte) i);
    }
  }

  @Test
  void wrappedKey_movedToAnotherTenantOrVersion_doesNotUnwrap() {
    TenantKeys keys = Fixtures.keys(kek, store);
    keys.create(ACME);
    TenantDataKey acmes = store.find(ACME, 1).orElseThrow();
    store.add(new TenantDataKey(GLOBEX, 1, acmes.wrapped(), Instant.EPOCH));
    store.add(new TenantDataKey(ACME, 2, acmes.wrapped(), Instant.EPOCH));
    assertThatThrownBy(() -> keys.forDecryption(GLOBEX, 1)).isInstanceOf(KeyUnwrapFailedException.class);
    assertThatThrownBy(() -> keys.forDecryption(ACME, 2)).isInstanceOf(KeyUnwrapFailedException.class);
  }

  @Test
  void retire_anOldVersion_itsValuesNeverDecryptAgain_newerOnesDo() {
    TenantKeys keys = Fixtures.keys(kek, store);
    TenantCipher cipher = TenantCipher.of(keys);
    keys.create(ACME);
    byte[] underV1 = cipher.encrypt(ACME, "p", new byte[] {1});
    keys.rotate(ACME);
    byte[] underV2 = cipher.encrypt(ACME, "p", new byte[] {2});

    assertThatThrownBy(() -> keys.retire(ACME, 2)).as("the current version").isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("rotate");
    assertThat(keys.retire(ACME, 1)).isEqualTo(1);

    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", underV1)).isInstanceOf(UnknownKeyVersionException.class);
    assertThat(cipher.decrypt(ACME, "p", underV2)).containsExactly((byte) 2);
    assertThat(store.versions(ACME)).extracting(TenantDataKey::version).containsExactly(2);
  }

  @Test
  void rotate_withoutKeys_failsTyped_andNeverCreatesKeysImplicitly() {
    TenantKeys keys = Fixtures.keys(kek, store);
    assertThatThrownBy(() -> keys.rotate(ACME)).isInstanceOf(TenantKeysDestroyedException.class);
    assertThatThrownBy(() -> TenantCipher.of(keys).encrypt(ACME, "p", new byte[1]))
        .isInstanceOf(TenantKeysDestroyedException.class);
    assertThat(store.tenants()).isEmpty();
  }

  @Test
  void provisioningStep_createsTheFirstKeyWithTheTenant_andThePurgeShredsIt() {
    TenantKeys keys = Fixtures.keys(kek, store);
    TenantService tenants = TenantService.builder().store(new InMemoryTenantStore())
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
        .step(new DataKeyProvisioningStep(keys)).build();
    Tenant tenant = tenants.create(NewTenant.of("acme", "Acme"));
    assertThat(store.versions(tenant.id())).hasSize(1);
    byte[] c = TenantCipher.of(keys).encrypt(tenant.id(), "p", new byte[] {42});

    tenants.delete(tenant.id(), true);

    assertThat(store.versions(tenant.id())).isEmpty();
    assertThatThrownBy(() -> TenantCipher.of(keys).decrypt(tenant.id(), "p", c))
        .isInstanceOf(TenantKeysDestroyedException.class);
    assertThat(new DataKeyProvisioningStep(keys).name()).isEqualTo("data-key");
  }
}
