package dev.tenancy.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.memory.InMemoryTenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class TenantCipherTest {

  private static final TenantId ACME = TenantId.of("0f8fad5b-d9cb-469f-a165-70867728950e");
  private static final TenantId GLOBEX = TenantId.of("7c9e6679-7425-40de-944b-e07fc1f90ae7");
  private static final byte[] DATA_KEY = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] NONCE = HexFormat.of().parseHex("cafebabefacedbaddecaf888");

  private final InMemoryTenantKeyStore store = new InMemoryTenantKeyStore();
  private final EnvironmentKekProvider kek = Fixtures.kek1();
  private final TenantKeys keys = Fixtures.keys(kek, store);
  private final TenantCipher cipher = TenantCipher.of(keys);

  /** Computed once by this implementation and cross-checked below with BouncyCastle's independent GCM. */
  private static final String KNOWN_CIPHERTEXT =
      "0100000001cafebabefacedbaddecaf888" + "ebc7c166cf022e76366738f31872e4"
          + "0e6478cb0f94fe58d7c0bd9e1d3617be";

  @Test
  void encrypt_fixedKeyNonceAndPlaintext_producesKnownBytes() throws Exception {
    store.add(new TenantDataKey(ACME, 1, kek.wrap(DATA_KEY, TenantKeys.context(ACME, 1)), Instant.EPOCH));
    TenantCipher fixed = new TenantCipher(keys, nonce -> System.arraycopy(NONCE, 0, nonce, 0, 12));

    byte[] ciphertext = fixed.encrypt(ACME, "leads.email", "ada@example.com".getBytes(StandardCharsets.UTF_8));

    assertThat(HexFormat.of().formatHex(ciphertext)).isEqualTo(KNOWN_CIPHERTEXT);
    // Independent check of the layout and the AAD encoding, built by hand here, with BouncyCastle's GCM.
    ByteBuffer aad = ByteBuffer.allocate(4 + 1 + 4 + 16 + 4 + 4 + 4 + 11);
    aad.putInt(1).put((byte) 1).putInt(16).put(HexFormat.of().parseHex("0f8fad5bd9cb469fa16570867728950e"))
        .putInt(4).putInt(1).putInt(11).put("leads.email".getBytes(StandardCharsets.UTF_8));
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(false, new AEADParameters(new KeyParameter(DATA_KEY), 128, NONCE, aad.array()));
    byte[] body = Arrays.copyOfRange(ciphertext, 17, ciphertext.length);
    byte[] plain = new byte[gcm.getOutputSize(body.length)];
    int n = gcm.processBytes(body, 0, body.length, plain, 0);
    gcm.doFinal(plain, n);
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("ada@example.com");
    assertThat(fixed.decrypt(ACME, "leads.email", ciphertext)).asString(StandardCharsets.UTF_8)
        .isEqualTo("ada@example.com");
  }

  @Test
  void encryptString_roundTrips_asBase64UrlText() {
    keys.create(ACME);
    String column = cipher.encryptString(ACME, "leads.email", "zoë@example.com");
    assertThat(column).matches("[A-Za-z0-9_-]+");
    assertThat(cipher.decryptString(ACME, "leads.email", column)).isEqualTo("zoë@example.com");
    assertThat(cipher.encryptString(ACME, "leads.email", "zoë@example.com")).isNotEqualTo(column);
  }

  @Test
  void decrypt_anySingleBitFlipped_failsTyped() {
    keys.create(ACME);
    byte[] ciphertext = cipher.encrypt(ACME, "p", "hi".getBytes(StandardCharsets.UTF_8));
    for (int bit = 0; bit < ciphertext.length * 8; bit++) {
      byte[] flipped = ciphertext.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      int at = bit;
      assertThatThrownBy(() -> cipher.decrypt(ACME, "p", flipped)).as("bit %d", at)
          .isInstanceOfAny(DecryptionFailedException.class, UnknownKeyVersionException.class);
    }
  }

  @Test
  void decrypt_truncatedOrEmpty_failsTyped() {
    keys.create(ACME);
    byte[] ciphertext = cipher.encrypt(ACME, "p", new byte[0]);
    for (int length = 0; length < ciphertext.length; length++) {
      byte[] cut = Arrays.copyOf(ciphertext, length);
      assertThatThrownBy(() -> cipher.decrypt(ACME, "p", cut)).isInstanceOf(DecryptionFailedException.class);
    }
    assertThatThrownBy(() -> cipher.decryptString(ACME, "p", "not base64!"))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void decrypt_ciphertextOfAnotherTenant_fails() {
    keys.create(ACME);
    keys.create(GLOBEX);
    byte[] acmes = cipher.encrypt(ACME, "leads.email", "secret".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> cipher.decrypt(GLOBEX, "leads.email", acmes))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void decrypt_ciphertextOfAnotherPurpose_fails() {
    keys.create(ACME);
    byte[] email = cipher.encrypt(ACME, "leads.email", "secret".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> cipher.decrypt(ACME, "leads.phone", email))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("leads.phone").hasMessageNotContaining("secret");
  }

  @Test
  void decrypt_relabelledKeyVersion_failsEvenWhenThatVersionExists() {
    keys.create(ACME);
    byte[] v1 = cipher.encrypt(ACME, "p", "x".getBytes(StandardCharsets.UTF_8));
    keys.rotate(ACME);
    byte[] relabelled = v1.clone();
    ByteBuffer.wrap(relabelled, 1, 4).putInt(2);
    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", relabelled)).isInstanceOf(DecryptionFailedException.class);
    ByteBuffer.wrap(relabelled, 1, 4).putInt(7);
    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", relabelled)).isInstanceOf(UnknownKeyVersionException.class)
        .extracting(e -> ((UnknownKeyVersionException) e).version()).isEqualTo(7);
    ByteBuffer.wrap(relabelled, 1, 4).putInt(0);
    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", relabelled)).isInstanceOf(UnknownKeyVersionException.class);
  }

  @Test
  void rotate_keepsOldCiphertextsReadable_andNewOnesUseTheNewVersion() {
    keys.create(ACME);
    byte[] v1 = cipher.encrypt(ACME, "p", "one".getBytes(StandardCharsets.UTF_8));
    assertThat(keys.rotate(ACME)).isEqualTo(2);
    byte[] v2 = cipher.encrypt(ACME, "p", "two".getBytes(StandardCharsets.UTF_8));
    assertThat(ByteBuffer.wrap(v1, 1, 4).getInt()).isEqualTo(1);
    assertThat(ByteBuffer.wrap(v2, 1, 4).getInt()).isEqualTo(2);
    assertThat(cipher.decrypt(ACME, "p", v1)).asString(StandardCharsets.UTF_8).isEqualTo("one");
    assertThat(cipher.decrypt(ACME, "p", v2)).asString(StandardCharsets.UTF_8).isEqualTo("two");
    // A fresh instance (empty caches) reads both from the store.
    TenantCipher fresh = TenantCipher.of(Fixtures.keys(kek, store));
    assertThat(fresh.decrypt(ACME, "p", v1)).asString(StandardCharsets.UTF_8).isEqualTo("one");
  }

  @Test
  void rewrapAll_afterKekRotation_keepsEverythingReadable_andChangesTheStoredWrapping() {
    keys.create(ACME);
    keys.create(GLOBEX);
    byte[] a1 = cipher.encrypt(ACME, "p", "a1".getBytes(StandardCharsets.UTF_8));
    keys.rotate(ACME);
    byte[] a2 = cipher.encrypt(ACME, "p", "a2".getBytes(StandardCharsets.UTF_8));
    byte[] g1 = cipher.encrypt(GLOBEX, "p", "g1".getBytes(StandardCharsets.UTF_8));
    List<TenantDataKey> before = new ArrayList<>(store.versions(ACME));

    TenantKeys rotated = Fixtures.keys(Fixtures.kek2WithPrevious(), store);
    assertThat(rotated.rewrapAll()).isEqualTo(3);
    assertThat(rotated.rewrapAll()).isZero();

    List<TenantDataKey> after = store.versions(ACME);
    assertThat(after).extracting(k -> k.wrapped().keyId()).containsOnly("kek-2");
    for (int i = 0; i < after.size(); i++) {
      assertThat(after.get(i).wrapped()).isNotEqualTo(before.get(i).wrapped());
      assertThat(after.get(i).createdAt()).isEqualTo(before.get(i).createdAt());
    }
    // Only KEK 2 now: proves nothing needs KEK 1 any more.
    EnvironmentKekProvider onlyKek2 = EnvironmentKekProvider.builder(Fixtures.environment())
        .current("kek-2", "KEK_TWO").build();
    TenantCipher afterRotation = TenantCipher.of(Fixtures.keys(onlyKek2, store));
    assertThat(afterRotation.decrypt(ACME, "p", a1)).asString(StandardCharsets.UTF_8).isEqualTo("a1");
    assertThat(afterRotation.decrypt(ACME, "p", a2)).asString(StandardCharsets.UTF_8).isEqualTo("a2");
    assertThat(afterRotation.decrypt(GLOBEX, "p", g1)).asString(StandardCharsets.UTF_8).isEqualTo("g1");
  }

  @Test
  void destroy_makesNothingOfThatTenantDecrypt_andLeavesOthersAlone() {
    keys.create(ACME);
    keys.create(GLOBEX);
    byte[] a1 = cipher.encrypt(ACME, "p", "a1".getBytes(StandardCharsets.UTF_8));
    keys.rotate(ACME);
    byte[] a2 = cipher.encrypt(ACME, "p", "a2".getBytes(StandardCharsets.UTF_8));
    byte[] g1 = cipher.encrypt(GLOBEX, "p", "g1".getBytes(StandardCharsets.UTF_8));
    assertThat(cipher.decrypt(ACME, "p", a1)).isNotEmpty(); // keys are cached now

    assertThat(keys.destroy(ACME)).isEqualTo(2);

    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", a1)).isInstanceOf(TenantKeysDestroyedException.class);
    assertThatThrownBy(() -> cipher.decrypt(ACME, "p", a2)).isInstanceOf(TenantKeysDestroyedException.class);
    assertThatThrownBy(() -> cipher.encrypt(ACME, "p", new byte[1])).isInstanceOf(TenantKeysDestroyedException.class);
    assertThat(store.versions(ACME)).isEmpty();
    assertThat(cipher.decrypt(GLOBEX, "p", g1)).asString(StandardCharsets.UTF_8).isEqualTo("g1");
    assertThat(cipher.encrypt(GLOBEX, "p", new byte[1])).isNotEmpty();
  }

  @Test
  void encrypt_eightThreadsUnderOneKey_neverRepeatANonce() throws Exception {
    keys.create(ACME);
    int threads = 8;
    int perThread = 100_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ByteBuffer>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          List<ByteBuffer> nonces = new ArrayList<>(perThread);
          byte[] plaintext = new byte[1];
          start.await();
          for (int i = 0; i < perThread; i++) {
            byte[] c = cipher.encrypt(ACME, "p", plaintext);
            assertThat(c[4]).isEqualTo((byte) 1); // one key version throughout
            nonces.add(ByteBuffer.wrap(Arrays.copyOfRange(c, 5, 17)));
          }
          return nonces;
        }));
      }
      Set<ByteBuffer> all = new HashSet<>();
      for (Future<List<ByteBuffer>> result : results) {
        all.addAll(result.get());
      }
      assertThat(all).hasSize(threads * perThread);
      assertThat(keys.encryptions(ACME, 1)).isEqualTo((long) threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void blindIndex_matchesEqualValues_onlyWithinTenantAndPurpose() {
    keys.create(ACME);
    keys.create(GLOBEX);
    byte[] value = "ada@example.com".getBytes(StandardCharsets.UTF_8);
    byte[] index = cipher.blindIndex(ACME, "leads.email", value);
    assertThat(index).hasSize(20).isEqualTo(cipher.blindIndex(ACME, "leads.email", value));
    assertThat(cipher.blindIndex(ACME, "leads.email", "bob@example.com".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(index);
    assertThat(cipher.blindIndex(GLOBEX, "leads.email", value)).isNotEqualTo(index);
    assertThat(cipher.blindIndex(ACME, "leads.phone", value)).isNotEqualTo(index);

    keys.rotate(ACME);
    List<byte[]> candidates = cipher.blindIndexCandidates(ACME, "leads.email", value);
    assertThat(candidates).hasSize(2);
    assertThat(candidates.get(1)).isEqualTo(index);
    assertThat(candidates.get(0)).isEqualTo(cipher.blindIndex(ACME, "leads.email", value)).isNotEqualTo(index);
  }

  @Test
  void toStringsAndExceptions_neverContainKeyMaterial() {
    store.add(new TenantDataKey(ACME, 1, kek.wrap(DATA_KEY, TenantKeys.context(ACME, 1)), Instant.EPOCH));
    DataKey key = keys.forDecryption(ACME, 1);
    List<String> texts = new ArrayList<>(List.of(key.toString(), keys.toString(), cipher.toString(), kek.toString(),
        store.toString(), store.versions(ACME).toString()));
    byte[] ciphertext = cipher.encrypt(ACME, "p", "x".getBytes(StandardCharsets.UTF_8));
    ciphertext[ciphertext.length - 1] ^= 1;
    try {
      cipher.decrypt(ACME, "p", ciphertext);
    } catch (DecryptionFailedException e) {
      texts.add(e.toString());
    }
    String hex = HexFormat.of().formatHex(DATA_KEY);
    String kekHex = HexFormat.of().formatHex(Fixtures.KEK_1);
    String kekBase64 = java.util.Base64.getEncoder().encodeToString(Fixtures.KEK_1);
    assertThat(texts).hasSize(7).allSatisfy(text -> assertThat(text).doesNotContainIgnoringCase(hex)
        .doesNotContainIgnoringCase(kekHex).doesNotContain(kekBase64)
        .doesNotContain(Integer.toHexString(key.key().hashCode())));
  }

  @Test
  void keyVersionOf_readsTheHeader_inBothForms_andFollowsRotation() {
    keys.create(ACME);
    byte[] v1 = cipher.encrypt(ACME, "p", "x".getBytes(StandardCharsets.UTF_8));
    assertThat(TenantCipher.keyVersionOf(v1)).isEqualTo(1);
    assertThat(cipher.currentKeyVersion(ACME)).isEqualTo(1);
    keys.rotate(ACME);
    String v2 = cipher.encryptString(ACME, "p", "x");
    assertThat(TenantCipher.keyVersionOf(v2)).isEqualTo(2);
    assertThat(cipher.currentKeyVersion(ACME)).isEqualTo(2);
    assertThat(TenantCipher.keyVersionOf(HexFormat.of().parseHex(KNOWN_CIPHERTEXT))).isEqualTo(1);
  }

  @Test
  void keyVersionOf_notACiphertext_refused() {
    keys.create(ACME);
    byte[] valid = cipher.encrypt(ACME, "p", new byte[0]);
    byte[] otherFormat = valid.clone();
    otherFormat[0] = 2;
    byte[] versionZero = valid.clone();
    Arrays.fill(versionZero, 1, 5, (byte) 0);
    for (byte[] bad : List.of(new byte[0], Arrays.copyOf(valid, valid.length - 1), otherFormat, versionZero)) {
      assertThatThrownBy(() -> TenantCipher.keyVersionOf(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : List.of("", "ada@example.com", "not*base64url!", "AQAAAAE")) {
      assertThatThrownBy(() -> TenantCipher.keyVersionOf(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
