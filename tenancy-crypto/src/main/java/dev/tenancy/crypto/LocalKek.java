package dev.tenancy.crypto;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * KEK versions held in this process, and the wrapping all local providers share: AES-256-GCM, a random 96-bit nonce,
 * and as associated data the KEK id and the caller's context (tenant, key version), length-prefixed.
 *
 * <p>Why GCM rather than AES-KW (RFC 3394/5649): KW has no associated data, so binding the context would need a key
 * derived per context or the context inside the wrapped bytes; GCM binds it directly and is what the JDK accelerates.
 * GCM's random-nonce bound (2^32 wraps per KEK) does not matter here: a KEK wraps one key per tenant and version.
 * Wrapped layout: nonce (12 bytes) || ciphertext (32 bytes) || tag (16 bytes).
 */
final class LocalKek {

  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] LABEL = "tenancy.kek.v1".getBytes(StandardCharsets.US_ASCII);

  private final Map<String, SecretKey> keys;
  private final String currentId;
  private final SecureRandom random = new SecureRandom();

  LocalKek(Map<String, SecretKey> keys, String currentId) {
    this.keys = Map.copyOf(new LinkedHashMap<>(keys));
    this.currentId = Objects.requireNonNull(currentId, "currentId");
    if (!this.keys.containsKey(currentId)) {
      throw new TenancyConfigurationException("The current KEK '" + currentId + "' is not among the loaded KEK "
          + "versions " + this.keys.keySet() + "; name one of them as current");
    }
    for (Map.Entry<String, SecretKey> entry : this.keys.entrySet()) {
      checkAes256(entry.getKey(), entry.getValue());
    }
  }

  static void checkAes256(String id, SecretKey key) {
    byte[] encoded = key.getEncoded();
    try {
      if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || encoded == null || encoded.length != 32) {
        throw new TenancyConfigurationException("KEK '" + id + "' must be an AES-256 key (32 bytes), was "
            + key.getAlgorithm() + " of " + (encoded == null ? "unknown" : encoded.length * 8) + " bits");
      }
    } finally {
      if (encoded != null) {
        Arrays.fill(encoded, (byte) 0);
      }
    }
  }

  String currentId() {
    return currentId;
  }

  java.util.Set<String> ids() {
    return keys.keySet();
  }

  WrappedKey wrap(byte[] dataKey, byte[] context) {
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(context, "context");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(currentId, context));
      byte[] sealed = cipher.doFinal(dataKey);
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return new WrappedKey(currentId, out);
    } catch (GeneralSecurityException e) {
      // The JCE message names algorithms, never key bytes.
      throw new TenantCryptoException("Cannot wrap a data key with KEK '" + currentId + "': " + e.getMessage(), e);
    }
  }

  byte[] unwrap(WrappedKey wrapped, byte[] context) {
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(context, "context");
    SecretKey kek = keys.get(wrapped.keyId());
    if (kek == null) {
      throw new KeyUnwrapFailedException(wrapped.keyId(), "that KEK version is not loaded (loaded: " + keys.keySet()
          + "); keep every KEK version until TenantKeys.rewrapAll() has moved all keys to the current one");
    }
    byte[] bytes = wrapped.ciphertext();
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new KeyUnwrapFailedException(wrapped.keyId(), "the wrapped key is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(aad(wrapped.keyId(), context));
      return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new KeyUnwrapFailedException(wrapped.keyId(),
          "authentication failed; the wrapped key or its tenant/version context was altered");
    } catch (GeneralSecurityException e) {
      throw new KeyUnwrapFailedException(wrapped.keyId(), e.getClass().getSimpleName());
    }
  }

  private static byte[] aad(String kekId, byte[] context) {
    return LengthPrefixed.encode(LABEL, kekId.getBytes(StandardCharsets.UTF_8), context);
  }
}
