package dev.tenancy.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Fills GCM nonces; a seam so known-answer tests can fix the nonce. Production uses {@link #secureRandom()}. */
@FunctionalInterface
interface NonceSource {

  void next(byte[] nonce);

  /**
   * A DRBG per thread: one shared {@code SecureRandom} is a lock every encrypting thread would queue on, and each
   * DRBG instance is seeded independently from the system's entropy source.
   */
  static NonceSource secureRandom() {
    ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(() -> {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    });
    return nonce -> randoms.get().nextBytes(nonce);
  }
}
