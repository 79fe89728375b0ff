package dev.tenancy.crypto;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * KEKs from a PKCS#12 keystore file: every AES-256 secret-key entry is a KEK version named by its alias, and one alias
 * is current (new data keys are wrapped with it). Rotating the KEK: add an entry with {@code keytool -genseckey
 * -keyalg AES -keysize 256 -storetype PKCS12 -alias kek-2}, restart with that alias as current, call
 * {@link TenantKeys#rewrapAll()}, and remove the old entry only afterwards.
 *
 * <pre>{@code
 * KeyEncryptionKeyProvider kek = KeystoreKekProvider.open(Path.of("/etc/app/kek.p12"), password, "kek-2");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class KeystoreKekProvider implements KeyEncryptionKeyProvider {

  private final LocalKek keys;
  private final Path file;

  private KeystoreKekProvider(LocalKek keys, Path file) {
    this.keys = keys;
    this.file = file;
  }

  /**
   * Loads every AES-256 secret-key entry of a PKCS#12 file, each protected by the store password.
   *
   * @param file the keystore file
   * @param password the store (and entry) password; the caller may wipe it afterwards
   * @param currentAlias the alias new data keys are wrapped with
   * @return the provider
   * @throws TenancyConfigurationException if the file cannot be read, the password is wrong, an entry is not AES-256,
   *     or the current alias is missing
   */
  public static KeystoreKekProvider open(Path file, char[] password, String currentAlias) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(currentAlias, "currentAlias");
    Map<String, SecretKey> loaded = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
      for (String alias : Collections.list(store.aliases())) {
        if (store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
          KeyStore.SecretKeyEntry entry = (KeyStore.SecretKeyEntry) store.getEntry(alias, protection);
          loaded.put(alias, entry.getSecretKey());
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new TenancyConfigurationException("Cannot load KEKs from PKCS#12 keystore " + file + " ("
          + e.getClass().getSimpleName() + "); check the path, the password and that the file is PKCS#12");
    }
    if (loaded.isEmpty()) {
      throw new TenancyConfigurationException("Keystore " + file + " holds no secret-key entries; create one with "
          + "keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12 -alias <kek-id>");
    }
    return new KeystoreKekProvider(new LocalKek(loaded, currentAlias), file);
  }

  @Override
  public String currentKeyId() {
    return keys.currentId();
  }

  /** @return every KEK version (alias) loaded from the file */
  public Set<String> keyIds() {
    return keys.ids();
  }

  @Override
  public WrappedKey wrap(byte[] dataKey, byte[] context) {
    return keys.wrap(dataKey, context);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] context) {
    return keys.unwrap(wrapped, context);
  }

  /** Names the file and the KEK versions, never key material. */
  @Override
  public String toString() {
    return "KeystoreKekProvider[file=" + file + ", current=" + keys.currentId() + ", versions=" + keys.ids() + "]";
  }
}
