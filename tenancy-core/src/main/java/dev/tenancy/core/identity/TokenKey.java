package dev.tenancy.core.identity;

import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.TenancyConfigurationException;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One key of a {@link TenantTokenService}: its id ({@code kid}), the one algorithm it is used with, and the key
 * material. Tokens select a key by {@code kid} only; the algorithm always comes from here.
 *
 * <pre>{@code
 * TokenKey hmac = TokenKey.hmac("2025-01", TokenAlgorithm.HS256, secret);            // >= 32 random bytes
 * TokenKey rsa = TokenKey.rsa("rsa-1", (RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
 * TokenKey verifyOnly = TokenKey.ec("ec-old", oldPublicKey, null);                 // verifies, never signs
 * }</pre>
 *
 * <p>{@link #toString()} shows the id and algorithm, never key material.
 *
 * @since 0.1.0
 */
public final class TokenKey {

  /** The order of the P-256 group: an {@link TokenAlgorithm#ES256} key must be on that curve. */
  static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final int MAX_KID_LENGTH = 256;
  private static final int MIN_RSA_BITS = 2048;

  private final VerificationKey key;
  private final boolean canSign;

  private TokenKey(VerificationKey key, boolean canSign) {
    this.key = key;
    this.canSign = canSign;
  }

  /**
   * An HMAC key.
   *
   * @param kid the key id tokens name in their header
   * @param algorithm {@link TokenAlgorithm#HS256}, {@link TokenAlgorithm#HS384} or {@link TokenAlgorithm#HS512}
   * @param secret random bytes, at least as long as the hash output (32, 48 or 64 bytes); copied
   * @return the key, which both signs and verifies
   * @throws TenancyConfigurationException if the algorithm is not HMAC or the secret is too short
   */
  public static TokenKey hmac(String kid, TokenAlgorithm algorithm, byte[] secret) {
    String id = kid(kid);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
    if (!algorithm.isHmac()) {
      throw new TenancyConfigurationException("Key '" + id + "': " + algorithm + " is not an HMAC algorithm; use "
          + "TokenKey.rsa(...) for RS256 or TokenKey.ec(...) for ES256");
    }
    if (secret.length < algorithm.minimumSecretBytes()) {
      throw new TenancyConfigurationException("Key '" + id + "': an " + algorithm + " secret must be at least "
          + algorithm.minimumSecretBytes() + " random bytes, got " + secret.length
          + "; generate one with e.g. `openssl rand -base64 " + algorithm.minimumSecretBytes() + "`");
    }
    Algorithm jwt = switch (algorithm) {
      case HS256 -> Algorithm.HMAC256(secret);
      case HS384 -> Algorithm.HMAC384(secret);
      case HS512 -> Algorithm.HMAC512(secret);
      default -> throw new IllegalStateException(algorithm.name());
    };
    return new TokenKey(new VerificationKey(id, algorithm, jwt), true);
  }

  /**
   * An {@link TokenAlgorithm#RS256} key.
   *
   * @param kid the key id tokens name in their header
   * @param publicKey the public key, modulus at least 2048 bits
   * @param privateKey the private key to sign with, or {@code null} for a key that only verifies
   * @return the key
   * @throws TenancyConfigurationException if the modulus is shorter than 2048 bits or the private key does not belong
   *     to the public key
   */
  public static TokenKey rsa(String kid, RSAPublicKey publicKey, @Nullable RSAPrivateKey privateKey) {
    String id = kid(kid);
    Objects.requireNonNull(publicKey, "publicKey");
    int bits = publicKey.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new TenancyConfigurationException("Key '" + id + "': an RS256 key needs a modulus of at least "
          + MIN_RSA_BITS + " bits, got " + bits + "; generate a 2048 or 3072-bit key pair");
    }
    if (privateKey != null && !privateKey.getModulus().equals(publicKey.getModulus())) {
      throw new TenancyConfigurationException("Key '" + id + "': the private key does not belong to the public key");
    }
    return new TokenKey(new VerificationKey(id, TokenAlgorithm.RS256, Algorithm.RSA256(publicKey, privateKey)),
        privateKey != null);
  }

  /**
   * An {@link TokenAlgorithm#ES256} key.
   *
   * @param kid the key id tokens name in their header
   * @param publicKey the public key, on curve P-256 (secp256r1)
   * @param privateKey the private key to sign with, or {@code null} for a key that only verifies
   * @return the key
   * @throws TenancyConfigurationException if a key is not on P-256
   */
  public static TokenKey ec(String kid, ECPublicKey publicKey, @Nullable ECPrivateKey privateKey) {
    String id = kid(kid);
    Objects.requireNonNull(publicKey, "publicKey");
    if (!P256_ORDER.equals(publicKey.getParams().getOrder())
        || (privateKey != null && !P256_ORDER.equals(privateKey.getParams().getOrder()))) {
      throw new TenancyConfigurationException("Key '" + id + "': ES256 needs a key pair on curve P-256 "
          + "(secp256r1); generate one with KeyPairGenerator.getInstance(\"EC\") initialised with "
          + "new ECGenParameterSpec(\"secp256r1\")");
    }
    return new TokenKey(new VerificationKey(id, TokenAlgorithm.ES256, Algorithm.ECDSA256(publicKey, privateKey)),
        privateKey != null);
  }

  private static String kid(String kid) {
    Objects.requireNonNull(kid, "kid");
    if (kid.isBlank() || kid.length() > MAX_KID_LENGTH) {
      throw new TenancyConfigurationException("A key id (kid) must be 1 to " + MAX_KID_LENGTH
          + " characters and not blank, e.g. the date the key was created");
    }
    return kid;
  }

  /** @return the key id tokens name in their {@code kid} header */
  public String kid() {
    return key.kid();
  }

  /** @return the one algorithm this key is used with */
  public TokenAlgorithm algorithm() {
    return key.algorithm();
  }

  /** @return whether this key can sign (an HMAC key, or a key pair given with its private key) */
  public boolean canSign() {
    return canSign;
  }

  VerificationKey verificationKey() {
    return key;
  }

  @Override
  public String toString() {
    return "TokenKey[kid=" + key.kid() + ", algorithm=" + key.algorithm() + (canSign ? ", signs" : "") + "]";
  }
}
