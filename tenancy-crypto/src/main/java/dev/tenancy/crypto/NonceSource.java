package dev.tenancy.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Fills GCM nonces; a seam so known-answer tests can fix the nonce. Production uses {@link #secureRandom()}. */
@FunctionalInterface
interface NonceSource {

  /** Nonces drawn from the DRBG per call: a {@code nextBytes} call costs about as much as a 64 B AES-GCM round trip. */
  int NONCES_PER_DRAW = 32;

  void next(byte[] nonce);

  /**
   * A DRBG per thread: one shared {@code SecureRandom} is a lock every encrypting thread would queue on, and each
   * DRBG instance is seeded independently from the system's entropy source. Each thread draws
   * {@value #NONCES_PER_DRAW} nonces' worth of random bytes at a time and hands them out in order, so every nonce is
   * still 96 fresh random bits, used once (nonces are public — they are written into the ciphertext — so holding the
   * next few in memory reveals nothing an attacker will not read from the ciphertexts anyway).
   */
  static NonceSource secureRandom() {
    ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);
    return nonce -> batches.get().next(nonce);
  }

  /** One thread's DRBG and its unused random bytes. */
  final class Batch {
    private final SecureRandom random = drbg();
    private final byte[] bytes = new byte[12 * NONCES_PER_DRAW];
    private int at = bytes.length;

    void next(byte[] nonce) {
      if (at + nonce.length > bytes.length) {
        random.nextBytes(bytes);
        at = 0;
      }
      System.arraycopy(bytes, at, nonce, 0, nonce.length);
      at += nonce.length;
    }

    private static SecureRandom drbg() {
      try {
        return SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }
  }
}
