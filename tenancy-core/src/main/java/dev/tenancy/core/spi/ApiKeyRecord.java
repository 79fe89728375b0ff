package dev.tenancy.core.spi;

import dev.tenancy.core.identity.ApiKey;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link ApiKeyStore} keeps about one API key: its metadata and the SHA-256 hash of the key text — never the
 * key itself, which exists only in the client's hands.
 *
 * @param key the key's metadata
 * @param secretHash the 32-byte SHA-256 of the full key text (copied in and out)
 * @since 0.1.0
 */
public record ApiKeyRecord(ApiKey key, byte[] secretHash) {

  /** The length of {@link #secretHash()}. */
  public static final int HASH_BYTES = 32;

  /**
   * Checks the hash length and copies it.
   *
   * @throws IllegalArgumentException if the hash is not 32 bytes
   */
  public ApiKeyRecord {
    Objects.requireNonNull(key, "key");
    if (Objects.requireNonNull(secretHash, "secretHash").length != HASH_BYTES) {
      throw new IllegalArgumentException("secretHash must be the " + HASH_BYTES + "-byte SHA-256 of the key, was "
          + secretHash.length + " bytes");
    }
    secretHash = secretHash.clone();
  }

  /** @return a copy of the hash */
  @Override
  public byte[] secretHash() {
    return secretHash.clone();
  }

  /** @return the key's id */
  public String id() {
    return key.id();
  }

  /**
   * @param changed new metadata for the same key
   * @return a record with that metadata and this hash
   */
  public ApiKeyRecord withKey(ApiKey changed) {
    if (!changed.id().equals(key.id())) {
      throw new IllegalArgumentException("A record keeps its key id " + key.id() + "; was given " + changed.id());
    }
    return new ApiKeyRecord(changed, secretHash);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ApiKeyRecord that && key.equals(that.key) && Arrays.equals(secretHash, that.secretHash);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(secretHash);
  }

  /** @return the metadata only; the hash is left out of logs */
  @Override
  public String toString() {
    return "ApiKeyRecord[" + key + "]";
  }
}
