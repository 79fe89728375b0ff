package dev.tenancy.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The text form of an API key, {@code tny_<id>_<secret>}: {@code tny_}, an 8-character public id ({@code a-z0-9}),
 * {@code _}, and 43 base64url characters encoding 32 random bytes (256 bits). 56 characters in all.
 *
 * <p>Why plain SHA-256 and not bcrypt/scrypt/Argon2: slow, salted hashes exist to protect <em>low-entropy</em>
 * secrets (passwords) against guessing. A key's secret is 256 bits from {@link SecureRandom}: there is nothing to
 * guess, so a fast hash is exactly as strong, needs no salt (no two secrets collide, so no precomputed table helps),
 * and keeps authentication cheap — a slow hash would turn every request with a key into a CPU-bound target.
 * The hash covers the whole key text, id included, so a stored hash only ever matches under its own id.
 */
final class ApiKeyFormat {

  static final String PREFIX = "tny_";
  static final int ID_LENGTH = 8;
  static final int SECRET_BYTES = 32;
  static final int SECRET_LENGTH = 43;
  static final int KEY_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;
  static final int HASH_BYTES = 32;

  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final Base64.Encoder SECRET_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private ApiKeyFormat() {
  }

  static String newId(SecureRandom random) {
    char[] id = new char[ID_LENGTH];
    for (int i = 0; i < ID_LENGTH; i++) {
      id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
    }
    return new String(id);
  }

  static String newKey(String id, SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    try {
      return PREFIX + id + "_" + SECRET_ENCODER.encodeToString(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  static boolean isValidId(String id) {
    if (id.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < ID_LENGTH; i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the id of a presented key, checking the whole format first — length before anything else, so an
   * oversized input costs nothing.
   *
   * @return the id, or {@code null} if the text is not a well-formed key
   */
  static @Nullable String idOf(String presented) {
    if (presented.length() != KEY_LENGTH || !presented.startsWith(PREFIX)
        || presented.charAt(PREFIX.length() + ID_LENGTH) != '_') {
      return null;
    }
    String id = presented.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    if (!isValidId(id)) {
      return null;
    }
    for (int i = PREFIX.length() + ID_LENGTH + 1; i < KEY_LENGTH; i++) {
      char c = presented.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return null;
      }
    }
    return id;
  }

  /** SHA-256 of the whole key text (see the class comment for why that is enough). */
  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform must provide SHA-256", e);
    }
  }

  /** The key with its secret masked, for messages and {@code toString}. */
  static String masked(String id) {
    return PREFIX + id + "_***";
  }
}
