package dev.tenancy.crypto.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * The key-encryption key (KEK) that wraps every tenant's data keys. The KEK itself never leaves the provider: a
 * keystore file or an environment variable here, a KMS (Vault transit, AWS KMS, GCP KMS) in a class a user writes,
 * where {@code wrap}/{@code unwrap} are one remote call each and only wrapped keys cross the network.
 *
 * <p>Implementations must be thread-safe, must never log or put key material in a {@code toString()} or an exception
 * message, and must keep every KEK version they ever wrapped with until all data keys are re-wrapped (KEK rotation).
 *
 * @since 0.1.0
 */
public interface KeyEncryptionKeyProvider {

  /** @return the id of the KEK version new data keys are wrapped with, e.g. {@code "kek-2026-11"} */
  String currentKeyId();

  /**
   * Wraps (encrypts and authenticates) a data key with the current KEK.
   *
   * @param dataKey the raw data key; the caller wipes it afterwards
   * @param context bytes bound to the wrapping (e.g. tenant id and key version), so a wrapped key cannot be moved to
   *     another tenant or version; passed again to {@link #unwrap}
   * @return the wrapped key, naming the KEK version that wrapped it
   */
  WrappedKey wrap(byte[] dataKey, byte[] context);

  /**
   * Unwraps a data key.
   *
   * @param wrapped a key wrapped by this provider (by any KEK version it still holds)
   * @param context the same context given to {@link #wrap}
   * @return the raw data key; the caller wipes it when done
   * @throws dev.tenancy.core.TenancyException (a typed subclass) if the KEK version is unknown or the wrapped key
   *     or its context was altered
   */
  byte[] unwrap(WrappedKey wrapped, byte[] context);

  /**
   * A data key wrapped by a KEK.
   *
   * @param keyId the KEK version that wrapped it
   * @param ciphertext the wrapped key, opaque to everyone but the provider
   */
  record WrappedKey(String keyId, byte[] ciphertext) {

    /** Copies the bytes and checks the parts. */
    public WrappedKey {
      if (Objects.requireNonNull(keyId, "keyId").isBlank()) {
        throw new IllegalArgumentException("keyId must not be blank");
      }
      ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    }

    /** @return a copy of the wrapped bytes */
    @Override
    public byte[] ciphertext() {
      return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WrappedKey that && keyId.equals(that.keyId)
          && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
      return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }

    /** Shows the KEK version and the length only. */
    @Override
    public String toString() {
      return "WrappedKey[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
  }
}
