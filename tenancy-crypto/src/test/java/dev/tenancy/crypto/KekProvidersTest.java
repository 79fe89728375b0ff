package dev.tenancy.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KekProvidersTest {

  private static final byte[] DATA_KEY = Fixtures.filled(0x5a);
  private static final byte[] CONTEXT = "tenant-a/1".getBytes();
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path dir;

  private Path keystore(Map<String, byte[]> entries) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      store.setEntry(entry.getKey(), new KeyStore.SecretKeyEntry(new SecretKeySpec(entry.getValue(), "AES")),
          new KeyStore.PasswordProtection(PASSWORD));
    }
    Path file = dir.resolve("kek.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
    return file;
  }

  @Test
  void keystore_loadsEveryAlias_wrapsWithCurrent_unwrapsWithAny() throws Exception {
    Path file = keystore(Map.of("kek-1", Fixtures.KEK_1, "kek-2", Fixtures.KEK_2));
    KeystoreKekProvider old = KeystoreKekProvider.open(file, PASSWORD, "kek-1");
    WrappedKey byOld = old.wrap(DATA_KEY, CONTEXT);

    KeystoreKekProvider kek = KeystoreKekProvider.open(file, PASSWORD, "kek-2");

    assertThat(kek.keyIds()).containsExactlyInAnyOrder("kek-1", "kek-2");
    assertThat(kek.currentKeyId()).isEqualTo("kek-2");
    WrappedKey wrapped = kek.wrap(DATA_KEY, CONTEXT);
    assertThat(wrapped.keyId()).isEqualTo("kek-2");
    assertThat(kek.unwrap(wrapped, CONTEXT)).isEqualTo(DATA_KEY);
    assertThat(kek.unwrap(byOld, CONTEXT)).isEqualTo(DATA_KEY);
    assertThat(kek.toString()).contains("kek-2").doesNotContainIgnoringCase(HexFormat.of().formatHex(Fixtures.KEK_2));
  }

  @Test
  void keystore_wrongPasswordOrMissingAlias_refusesToStart() throws Exception {
    Path file = keystore(Map.of("kek-1", Fixtures.KEK_1));
    assertThatThrownBy(() -> KeystoreKekProvider.open(file, "wrong".toCharArray(), "kek-1"))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("password");
    assertThatThrownBy(() -> KeystoreKekProvider.open(file, PASSWORD, "kek-9"))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("kek-9");
    assertThatThrownBy(() -> KeystoreKekProvider.open(dir.resolve("missing.p12"), PASSWORD, "kek-1"))
        .isInstanceOf(TenancyConfigurationException.class);
  }

  @Test
  void keystore_aes128Entry_isRefused() throws Exception {
    Path file = keystore(Map.of("short", new byte[16]));
    assertThatThrownBy(() -> KeystoreKekProvider.open(file, PASSWORD, "short"))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("AES-256");
  }

  @Test
  void environment_readsBase64Key_andKeepsPreviousVersions() {
    KeyEncryptionKeyProvider old = Fixtures.kek1();
    WrappedKey byOld = old.wrap(DATA_KEY, CONTEXT);
    KeyEncryptionKeyProvider kek = Fixtures.kek2WithPrevious();
    assertThat(kek.currentKeyId()).isEqualTo("kek-2");
    assertThat(kek.unwrap(byOld, CONTEXT)).isEqualTo(DATA_KEY);
    assertThat(kek.unwrap(kek.wrap(DATA_KEY, CONTEXT), CONTEXT)).isEqualTo(DATA_KEY);
    assertThat(kek.toString()).contains("KEK_TWO")
        .doesNotContain(Base64.getEncoder().encodeToString(Fixtures.KEK_2));
  }

  @Test
  void environment_missingMalformedOrShortVariable_refusesToStart() {
    Map<String, String> env = Map.of("BAD", "%%%", "SHORT", Base64.getEncoder().encodeToString(new byte[16]));
    assertThatThrownBy(() -> EnvironmentKekProvider.builder(env).current("k", "NOPE").build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("NOPE");
    assertThatThrownBy(() -> EnvironmentKekProvider.builder(env).current("k", "BAD").build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("base64")
        .hasMessageNotContaining("%%%");
    assertThatThrownBy(() -> EnvironmentKekProvider.builder(env).current("k", "SHORT").build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("16 bytes");
  }

  @Test
  void unwrap_alteredBytesContextOrUnknownKek_failsTyped() {
    KeyEncryptionKeyProvider kek = Fixtures.kek1();
    WrappedKey wrapped = kek.wrap(DATA_KEY, CONTEXT);
    byte[] bytes = wrapped.ciphertext();
    for (int i = 0; i < bytes.length; i++) {
      byte[] altered = bytes.clone();
      altered[i] ^= 0x01;
      WrappedKey tampered = new WrappedKey("kek-1", altered);
      assertThatThrownBy(() -> kek.unwrap(tampered, CONTEXT)).isInstanceOf(KeyUnwrapFailedException.class);
    }
    assertThatThrownBy(() -> kek.unwrap(wrapped, "tenant-b/1".getBytes()))
        .isInstanceOf(KeyUnwrapFailedException.class);
    assertThatThrownBy(() -> kek.unwrap(new WrappedKey("kek-0", bytes), CONTEXT))
        .isInstanceOf(KeyUnwrapFailedException.class).hasMessageContaining("kek-0");
  }

  @Test
  void development_refusesInProduction_andWorksOtherwise() {
    assertThatThrownBy(() -> DevelopmentKekProvider.create(Map.of("TENANCY_PROFILE", "production"), null))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("KeystoreKekProvider");
    assertThatThrownBy(() -> DevelopmentKekProvider.create(Map.of(), "PROD"))
        .isInstanceOf(TenancyConfigurationException.class);
    DevelopmentKekProvider dev = DevelopmentKekProvider.create(Map.of("TENANCY_PROFILE", "dev"), null);
    assertThat(dev.unwrap(dev.wrap(DATA_KEY, CONTEXT), CONTEXT)).isEqualTo(DATA_KEY);
    // Each one is a fresh key: nothing wrapped by one unwraps with another.
    DevelopmentKekProvider other = DevelopmentKekProvider.create(Map.of(), null);
    assertThatThrownBy(() -> other.unwrap(dev.wrap(DATA_KEY, CONTEXT), CONTEXT))
        .isInstanceOf(KeyUnwrapFailedException.class);
  }
}
