package dev.tenancy.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that authenticates audit chains and checkpoints (HMAC-SHA256). Keep it outside the database the events
 * are stored in (a secret manager, an environment variable, a key file): someone who can rewrite the database can
 * recompute a plain hash chain, but without this key cannot forge its MACs.
 *
 * <pre>{@code
 * AuditKey key = AuditKey.of(Base64.getDecoder().decode(System.getenv("TENANCY_AUDIT_KEY")));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AuditKey {

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MIN_BYTES = 32;

  private final SecretKeySpec key;
  private final String id;
  /** Mac.getInstance and init cost about as much as the MAC itself; each writer thread keeps one initialised. */
  private final ThreadLocal<Mac> macs = new ThreadLocal<>();

  private AuditKey(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.id = HexFormat.of().formatHex(sha256(secret), 0, 4);
  }

  /**
   * @param secret at least 32 random bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the secret is shorter than 32 bytes
   */
  public static AuditKey of(byte[] secret) {
    if (Objects.requireNonNull(secret, "secret").length < MIN_BYTES) {
      throw new IllegalArgumentException("an audit key needs at least " + MIN_BYTES + " random bytes, got "
          + secret.length + "; generate one with: openssl rand -base64 32");
    }
    return new AuditKey(secret.clone());
  }

  /** @return a short fingerprint of the key (not secret), to tell which key signed what */
  public String id() {
    return id;
  }

  /** @return HMAC-SHA256 of the text's UTF-8 bytes, lower-case hex */
  String mac(String text) {
    Mac mac = macs.get();
    if (mac == null) {
      mac = newMac();
      macs.set(mac);
    }
    // doFinal resets the Mac for its next use on this thread.
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 must be available on every Java platform", e);
    }
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
    return "AuditKey[" + id + "]";
  }
}
