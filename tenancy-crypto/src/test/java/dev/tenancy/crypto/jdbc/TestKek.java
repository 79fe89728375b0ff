package dev.tenancy.crypto.jdbc;

import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A throw-away AES-256-GCM KEK for tests: wraps as nonce (12 bytes) followed by ciphertext and tag. */
final class TestKek implements KeyEncryptionKeyProvider {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec kek;

  TestKek() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    this.kek = new SecretKeySpec(bytes, "AES");
  }

  @Override
  public String currentKeyId() {
    return "test-kek-1";
  }

  @Override
  public WrappedKey wrap(byte[] dataKey, byte[] context) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(context);
      byte[] sealed = cipher.doFinal(dataKey);
      return new WrappedKey(currentKeyId(), ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] context) {
    byte[] bytes = wrapped.ciphertext();
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, Arrays.copyOf(bytes, 12)));
      cipher.updateAAD(context);
      return cipher.doFinal(bytes, 12, bytes.length - 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
