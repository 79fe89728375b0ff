package dev.tenancy.jdbc.backup;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that signs backup manifests (HMAC-SHA256). Keep it outside the database and outside the backup
 * repository (a secret manager, an environment variable, a key file): someone who can rewrite an archive can recompute
 * its SHA-256 hashes, but without this key cannot forge the manifest's signature — so with a key, a restore refuses
 * any archive that was altered on purpose; without one, only accidental corruption is detected.
 *
 * <pre>{@code
 * BackupKey key = BackupKey.of(Base64.getDecoder().decode(System.getenv("TENANCY_BACKUP_KEY")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BackupKey {

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MIN_BYTES = 32;

  private final SecretKeySpec key;
  private final String id;

  private BackupKey(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.id = HexFormat.of().formatHex(sha256(secret), 0, 4);
  }

  /**
   * @param secret at least 32 random bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public static BackupKey of(byte[] secret) {
    if (Objects.requireNonNull(secret, "secret").length < MIN_BYTES) {
      throw new IllegalArgumentException("a backup key needs at least " + MIN_BYTES + " random bytes, got "
          + secret.length + "; generate one with: openssl rand -base64 32");
    }
    return new BackupKey(secret.clone());
  }

  /** @return a short fingerprint of the key (not secret), recorded in each manifest to tell which key signed it */
  public String id() {
    return id;
  }

  /** HMAC-SHA256 of the bytes, lower-case hex. */
  String sign(byte[] bytes) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(bytes));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 must be available on every Java platform", e);
    }
  }

  /** Whether {@code signature} is this key's signature of the bytes, compared in constant time. */
  boolean verify(byte[] bytes, String signature) {
    return MessageDigest.isEqual(sign(bytes).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 must be available on every Java platform", e);
    }
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "BackupKey[" + id + "]";
  }
}
