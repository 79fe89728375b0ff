package dev.tenancy.crypto;

import dev.tenancy.core.TenantId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts tenants' values with AES-256-GCM under the tenant's data key (the JDK's AES-GCM, which uses
 * the CPU's AES and carry-less multiply instructions).
 *
 * <p>Ciphertext format, version 1 ({@value #HEADER_BYTES}-byte header, then the GCM output):
 * <pre>
 *   offset  size  field
 *   0       1     format version, 0x01
 *   1       4     key version, big-endian, from 1
 *   5       12    nonce, random
 *   17      n     ciphertext (n = plaintext length)
 *   17+n    16    GCM tag
 * </pre>
 * The associated data (authenticated, not stored) binds the value to where it belongs: the length-prefixed fields
 * (format version, tenant id as its 16 UUID bytes, key version, purpose), each a 4-byte big-endian length then
 * its bytes. So a ciphertext copied to another tenant, another purpose (column) or relabelled with another key version
 * fails to decrypt. Decryption uses exactly the key version the header names, never tries others.
 *
 * <pre>{@code
 * TenantCipher cipher = TenantCipher.of(keys);
 * String column = cipher.encryptString(tenant, "leads.email", "ada@example.com");   // base64url text
 * String email = cipher.decryptString(tenant, "leads.email", column);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class TenantCipher {

  /** The format version this class writes. */
  public static final byte FORMAT_V1 = 0x01;
  /** Header length: format version, key version, nonce. */
  public static final int HEADER_BYTES = 1 + 4 + 12;
  /** GCM tag length. */
  public static final int TAG_BYTES = 16;

  private static final int NONCE_BYTES = 12;
  private static final int INDEX_BYTES = 16;
  private static final byte[] INDEX_LABEL = "tenancy.blind-index.v1".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder FROM_TEXT = Base64.getUrlDecoder();

  // Cipher.getInstance costs a provider lookup; one per thread, re-initialised per value.
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException("The JDK has no AES/GCM/NoPadding", e);
    }
  });
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no HmacSHA256", e);
    }
  });

  private final TenantKeys keys;
  private final NonceSource nonces;

  TenantCipher(TenantKeys keys, NonceSource nonces) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  /**
   * @param keys the tenant key manager
   * @return a cipher with random nonces
   */
  public static TenantCipher of(TenantKeys keys) {
    return new TenantCipher(keys, NonceSource.secureRandom());
  }

  /**
   * Encrypts under the tenant's current key version.
   *
   * @param tenant the tenant owning the value
   * @param purpose what the value is, e.g. {@code leads.email}; the same purpose must be given to decrypt
   * @param plaintext the value
   * @return the ciphertext in format version 1
   * @throws TenantKeysDestroyedException if the tenant has no data key
   */
  public byte[] encrypt(TenantId tenant, String purpose, byte[] plaintext) {
    Objects.requireNonNull(tenant, "tenant");
    checkPurpose(purpose);
    Objects.requireNonNull(plaintext, "plaintext");
    DataKey key = keys.forEncryption(tenant);
    byte[] out = new byte[HEADER_BYTES + plaintext.length + TAG_BYTES];
    out[0] = FORMAT_V1;
    ByteBuffer.wrap(out, 1, 4).putInt(key.version());
    byte[] nonce = new byte[NONCE_BYTES];
    nonces.next(nonce);
    System.arraycopy(nonce, 0, out, 5, NONCE_BYTES);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad(tenant, key.version(), purpose));
      cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new TenantCryptoException("Cannot encrypt a '" + purpose + "' value of tenant " + tenant + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decrypts with exactly the key version the ciphertext names.
   *
   * @param tenant the tenant the value belongs to
   * @param purpose the purpose it was encrypted for
   * @param ciphertext the output of {@link #encrypt}
   * @return the plaintext
   * @throws DecryptionFailedException if the ciphertext was altered, is not for this tenant and purpose, or is not
   *     in a known format
   * @throws UnknownKeyVersionException if the tenant has no such key version
   * @throws TenantKeysDestroyedException if the tenant's keys were destroyed
   */
  public byte[] decrypt(TenantId tenant, String purpose, byte[] ciphertext) {
    Objects.requireNonNull(tenant, "tenant");
    checkPurpose(purpose);
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length < HEADER_BYTES + TAG_BYTES) {
      throw new DecryptionFailedException(tenant, purpose, "too short to be a ciphertext");
    }
    if (ciphertext[0] != FORMAT_V1) {
      throw new DecryptionFailedException(tenant, purpose, "unknown format version " + (ciphertext[0] & 0xff));
    }
    int version = ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    if (version < 1) {
      throw new UnknownKeyVersionException(tenant, version);
    }
    DataKey key = keys.forDecryption(tenant, version);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, ciphertext, 5, NONCE_BYTES));
      cipher.updateAAD(aad(tenant, version, purpose));
      return cipher.doFinal(ciphertext, HEADER_BYTES, ciphertext.length - HEADER_BYTES);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException(tenant, purpose, "authentication failed");
    } catch (GeneralSecurityException e) {
      throw new DecryptionFailedException(tenant, purpose, e.getClass().getSimpleName());
    }
  }

  /**
   * Encrypts text (UTF-8) into a base64url string without padding, for a text column.
   *
   * @param tenant the tenant owning the value
   * @param purpose what the value is
   * @param plaintext the text
   * @return the ciphertext as base64url text
   */
  public String encryptString(TenantId tenant, String purpose, String plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    return TEXT.encodeToString(encrypt(tenant, purpose, plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Decrypts the output of {@link #encryptString}.
   *
   * @param tenant the tenant the value belongs to
   * @param purpose the purpose it was encrypted for
   * @param ciphertext base64url text
   * @return the text
   * @throws DecryptionFailedException if the text is not base64url or does not decrypt
   */
  public String decryptString(TenantId tenant, String purpose, String ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    byte[] bytes;
    try {
      bytes = FROM_TEXT.decode(ciphertext);
    } catch (IllegalArgumentException e) {
      throw new DecryptionFailedException(tenant, purpose, "not base64url text");
    }
    return new String(decrypt(tenant, purpose, bytes), StandardCharsets.UTF_8);
  }

  /**
   * The key version a tenant's new encryptions use: a ciphertext whose {@link #keyVersionOf key version} is lower was
   * written before a rotation and can be re-encrypted.
   *
   * @param tenant the tenant
   * @return the current key version, from 1
   * @throws TenantKeysDestroyedException if the tenant has no keys
   */
  public int currentKeyVersion(TenantId tenant) {
    return keys.currentVersion(Objects.requireNonNull(tenant, "tenant"));
  }

  /**
   * Reads the key version from a ciphertext's header without decrypting it (the header is not secret; it is
   * authenticated when the value is decrypted).
   *
   * @param ciphertext the output of {@link #encrypt}
   * @return the key version it names, from 1
   * @throws IllegalArgumentException if it is too short to be a ciphertext, in an unknown format, or names version 0
   *     or less
   * @since 0.1.0
   */
  public static int keyVersionOf(byte[] ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length < HEADER_BYTES + TAG_BYTES) {
      throw new IllegalArgumentException("Not a TenantCipher ciphertext: " + ciphertext.length + " bytes is shorter"
          + " than header and tag (" + (HEADER_BYTES + TAG_BYTES) + ")");
    }
    if (ciphertext[0] != FORMAT_V1) {
      throw new IllegalArgumentException("Not a TenantCipher ciphertext: unknown format version "
          + (ciphertext[0] & 0xff));
    }
    int version = ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    if (version < 1) {
      throw new IllegalArgumentException("Not a TenantCipher ciphertext: key version " + version);
    }
    return version;
  }

  /**
   * Reads the key version from the text form ({@link #encryptString}) without decrypting it.
   *
   * @param ciphertext base64url text
   * @return the key version it names, from 1
   * @throws IllegalArgumentException if it is not base64url or not a ciphertext in a known format
   * @since 0.1.0
   */
  public static int keyVersionOf(String ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    byte[] bytes;
    try {
      bytes = FROM_TEXT.decode(ciphertext);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a TenantCipher ciphertext: not base64url text");
    }
    return keyVersionOf(bytes);
  }

  /**
   * A keyed blind index for equality lookups: store it next to the ciphertext and query by it. It is
   * HMAC-SHA256 truncated to 16 bytes, under a key derived (HKDF-Expand, SHA-256) from the tenant's current data key
   * for this purpose, prefixed with the key version (4 bytes big-endian): 20 bytes. Equal values of one tenant and
   * purpose give equal indexes under one key version; nothing else is revealed to someone without the key, and
   * indexes of different tenants or purposes never match.
   *
   * @param tenant the tenant owning the value
   * @param purpose the lookup purpose, e.g. {@code leads.email}
   * @param value the value (normalise it first, e.g. lower-case an e-mail address)
   * @return the index under the current key version
   */
  public byte[] blindIndex(TenantId tenant, String purpose, byte[] value) {
    Objects.requireNonNull(tenant, "tenant");
    checkPurpose(purpose);
    Objects.requireNonNull(value, "value");
    return index(tenant, purpose, keys.forDecryption(tenant, keys.currentVersion(tenant)), value);
  }

  /**
   * The blind indexes of a value under every key version the tenant has, newest first: query with
   * {@code WHERE idx IN (...)} while rows written before a rotation are not yet re-indexed.
   *
   * @param tenant the tenant owning the value
   * @param purpose the lookup purpose
   * @param value the value
   * @return one index per key version
   */
  public List<byte[]> blindIndexCandidates(TenantId tenant, String purpose, byte[] value) {
    Objects.requireNonNull(tenant, "tenant");
    checkPurpose(purpose);
    Objects.requireNonNull(value, "value");
    List<byte[]> out = new ArrayList<>();
    for (int version = keys.currentVersion(tenant); version >= 1; version--) {
      try {
        out.add(index(tenant, purpose, keys.forDecryption(tenant, version), value));
      } catch (UnknownKeyVersionException e) {
        // A version retired from the store: nothing indexed under it can exist any more.
      }
    }
    return out;
  }

  private static byte[] index(TenantId tenant, String purpose, DataKey key, byte[] value) {
    Mac mac = MACS.get();
    try {
      // HKDF-Expand with the data key as PRK (it is uniformly random, so Extract adds nothing): T(1).
      mac.init(key.key());
      mac.update(LengthPrefixed.encode(INDEX_LABEL, tenant.toString().getBytes(StandardCharsets.US_ASCII),
          LengthPrefixed.int32(key.version()), purpose.getBytes(StandardCharsets.UTF_8)));
      mac.update((byte) 1);
      byte[] derived = mac.doFinal();
      SecretKeySpec indexKey = new SecretKeySpec(derived, "HmacSHA256");
      java.util.Arrays.fill(derived, (byte) 0);
      mac.init(indexKey);
      byte[] tag = mac.doFinal(value);
      byte[] out = new byte[4 + INDEX_BYTES];
      ByteBuffer.wrap(out).putInt(key.version());
      System.arraycopy(tag, 0, out, 4, INDEX_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new TenantCryptoException("Cannot compute a blind index for tenant " + tenant + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * The length-prefixed AAD in one allocation: it is built twice per round trip on the hot path. The tenant id goes in
   * as its 16 UUID bytes rather than its 36-character text: the JDK's GCM authenticates associated data a 16-byte
   * block at a time, so for a typical purpose ({@code leads.email}) this is 48 bytes, three blocks, instead of 68.
   */
  static byte[] aad(TenantId tenant, int version, String purpose) {
    byte[] purposeBytes = purpose.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[4 + 1 + 4 + 16 + 4 + 4 + 4 + purposeBytes.length];
    int at = putInt(out, 0, 1);
    out[at++] = FORMAT_V1;
    at = putInt(out, at, 16);
    at = putLong(out, at, tenant.value().getMostSignificantBits());
    at = putLong(out, at, tenant.value().getLeastSignificantBits());
    at = putInt(out, at, 4);
    at = putInt(out, at, version);
    at = putInt(out, at, purposeBytes.length);
    System.arraycopy(purposeBytes, 0, out, at, purposeBytes.length);
    return out;
  }

  private static int putLong(byte[] out, int at, long value) {
    return putInt(out, putInt(out, at, (int) (value >>> 32)), (int) value);
  }

  /** Writes a big-endian int; returns the index after it. */
  private static int putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
    return at + 4;
  }

  private static void checkPurpose(String purpose) {
    if (Objects.requireNonNull(purpose, "purpose").isBlank()) {
      throw new IllegalArgumentException("purpose must name what is encrypted, e.g. \"leads.email\"");
    }
  }

  @Override
  public String toString() {
    return "TenantCipher[AES-256-GCM, format " + FORMAT_V1 + "]";
  }
}
