package dev.tenancy.core.identity;

/**
 * The signature algorithms a {@link TokenKey} can be configured with. A key has exactly one; the {@code alg} in a
 * token's header must name it, and never chooses it.
 *
 * @since 0.1.0
 */
public enum TokenAlgorithm {
  /** HMAC with SHA-256; the secret must be at least 32 bytes. */
  HS256(32),
  /** HMAC with SHA-384; the secret must be at least 48 bytes. */
  HS384(48),
  /** HMAC with SHA-512; the secret must be at least 64 bytes. */
  HS512(64),
  /** RSASSA-PKCS1-v1_5 with SHA-256; the modulus must be at least 2048 bits. */
  RS256(0),
  /** ECDSA on P-256 with SHA-256. */
  ES256(0);

  private final int minimumSecretBytes;

  TokenAlgorithm(int minimumSecretBytes) {
    this.minimumSecretBytes = minimumSecretBytes;
  }

  /** @return whether the algorithm uses a shared secret (HMAC) rather than a key pair */
  public boolean isHmac() {
    return minimumSecretBytes > 0;
  }

  /**
   * The shortest secret accepted: as long as the hash output (RFC 7518, section 3.2).
   *
   * @return the minimum secret length in bytes, or 0 for an asymmetric algorithm
   */
  public int minimumSecretBytes() {
    return minimumSecretBytes;
  }
}
