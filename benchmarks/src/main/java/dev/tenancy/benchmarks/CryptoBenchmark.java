package dev.tenancy.benchmarks;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.EnvironmentKekProvider;
import dev.tenancy.crypto.TenantCipher;
import dev.tenancy.crypto.TenantKeys;
import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link TenantCipher} costs next to the JDK's bare AES-GCM with the same data key in the same run: one
 * encrypt plus one decrypt of 64 B and 4 KiB. The bare JDK side ({@code rawJdkGcm}) draws each 96-bit nonce from a
 * DRBG, as hand-written GCM code does, and has no header and no associated data. Target: at most 1.2×. Two more
 * baselines split the difference: {@code rawJdkGcmWithAad} (the same length of associated data) and
 * {@code rawJdkGcmBatchedNonces} (nonces drawn 32 at a time, as TenantCipher draws them).
 *
 * <p>{@code kekUnwrap} is what a data-key cache miss costs with a local KEK (keystore or environment): one AES-GCM
 * unwrap of 32 bytes; {@code decryptCacheMiss} is a 64 B decrypt whose tenant key is never cached (4,096 tenants, a
 * cache of 16), i.e. store lookup + unwrap + decrypt. A KMS provider adds its network round trip to both.
 *
 * <p>Not {@code final}: JMH's generated code subclasses it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CryptoBenchmark {

  static final TenantId ACME = TenantId.of("3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c");
  static final int MISS_TENANTS = 4096;

  @Param({"64", "4096"})
  public int size;

  private byte[] plaintext;
  private TenantCipher cipher;
  private SecretKeySpec rawKey;
  private Cipher rawCipher;
  /** Associated data as long as what TenantCipher binds for a tenant, "leads.email" and version 1: 48 bytes. */
  private final byte[] sameAad = ("\0\0\0\1\1\0\0\0\u0010" + "0".repeat(16) + "\0\0\0\4\0\0\0\1\0\0\0\u000bleads.email")
      .getBytes(StandardCharsets.ISO_8859_1);
  /** Random bytes for {@link #rawJdkGcmBatchedNonces}: 32 nonces per DRBG call, as TenantCipher draws them. */
  private final byte[] nonceBatch = new byte[12 * 32];
  private int nonceAt = nonceBatch.length;
  private final SecureRandom random = drbg();
  private Recording kek;
  private TenantCipher missCipher;
  private TenantId[] missTenants;
  private byte[][] missCiphertexts;
  private int next;

  @Setup
  public void setUp() throws GeneralSecurityException {
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    byte[] kekBytes = new byte[32];
    random.nextBytes(kekBytes);
    kek = new Recording(EnvironmentKekProvider.builder(Map.of("KEK", Base64.getEncoder().encodeToString(kekBytes)))
        .current("kek-1", "KEK").build());

    TenantKeys keys = TenantKeys.builder(kek, new InMemoryTenantKeyStore()).build();
    keys.create(ACME);
    rawKey = new SecretKeySpec(kek.lastDataKey, "AES"); // the very key TenantCipher uses for ACME
    cipher = TenantCipher.of(keys);
    rawCipher = Cipher.getInstance("AES/GCM/NoPadding");

    InMemoryTenantKeyStore missStore = new InMemoryTenantKeyStore();
    TenantKeys setup = TenantKeys.builder(kek, missStore).build();
    TenantCipher setupCipher = TenantCipher.of(setup);
    missTenants = new TenantId[MISS_TENANTS];
    missCiphertexts = new byte[MISS_TENANTS][];
    for (int i = 0; i < MISS_TENANTS; i++) {
      missTenants[i] = TenantId.random();
      setup.create(missTenants[i]);
      missCiphertexts[i] = setupCipher.encrypt(missTenants[i], "bench", new byte[64]);
    }
    missCipher = TenantCipher.of(TenantKeys.builder(kek, missStore).cacheSize(16).build());
  }

  @Benchmark
  public byte[] tenantCipher() {
    return cipher.decrypt(ACME, "leads.email", cipher.encrypt(ACME, "leads.email", plaintext));
  }

  @Benchmark
  public byte[] rawJdkGcm() throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    byte[] sealed = rawCipher.doFinal(plaintext);
    rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    return rawCipher.doFinal(sealed);
  }

  /**
   * The second baseline: raw JDK AES-GCM with associated data of the same length as TenantCipher's (tenant, key
   * version, purpose), precomputed. What TenantCipher adds over this is its own work; the rest of its cost over
   * {@link #rawJdkGcm} is what binding a ciphertext to its tenant and purpose costs in the JDK's GCM.
   */
  @Benchmark
  public byte[] rawJdkGcmWithAad() throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    rawCipher.updateAAD(sameAad);
    byte[] sealed = rawCipher.doFinal(plaintext);
    rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    rawCipher.updateAAD(sameAad);
    return rawCipher.doFinal(sealed);
  }

  /**
   * The third baseline: raw JDK AES-GCM, no associated data, nonces drawn from the DRBG 32 at a time like
   * TenantCipher's. Against this the ratio is the cipher work alone: associated data, key lookup, format.
   */
  @Benchmark
  public byte[] rawJdkGcmBatchedNonces() throws GeneralSecurityException {
    if (nonceAt == nonceBatch.length) {
      random.nextBytes(nonceBatch);
      nonceAt = 0;
    }
    byte[] nonce = Arrays.copyOfRange(nonceBatch, nonceAt, nonceAt + 12);
    nonceAt += 12;
    rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    byte[] sealed = rawCipher.doFinal(plaintext);
    rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
    return rawCipher.doFinal(sealed);
  }

  @Benchmark
  public byte[] kekUnwrap() {
    return kek.delegate.unwrap(kek.lastWrapped, kek.lastContext);
  }

  @Benchmark
  public byte[] decryptCacheMiss() {
    int i = next++ & (MISS_TENANTS - 1);
    return missCipher.decrypt(missTenants[i], "bench", missCiphertexts[i]);
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (GeneralSecurityException e) {
      return new SecureRandom();
    }
  }

  /** Keeps the last data key it wrapped, so the bare-JDK side encrypts under exactly the same key. */
  static final class Recording implements KeyEncryptionKeyProvider {
    final KeyEncryptionKeyProvider delegate;
    byte[] lastDataKey;
    byte[] lastContext;
    WrappedKey lastWrapped;

    Recording(KeyEncryptionKeyProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String currentKeyId() {
      return delegate.currentKeyId();
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, byte[] context) {
      if (lastDataKey == null) {
        lastDataKey = dataKey.clone();
      }
      lastContext = context.clone();
      lastWrapped = delegate.wrap(dataKey, context);
      return lastWrapped;
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, byte[] context) {
      return delegate.unwrap(wrapped, context);
    }
  }
}
