package dev.tenancy.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.ApiKey;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.spi.ApiKeyRecord;
import dev.tenancy.core.spi.ApiKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ApiKeyStore} must have. Extend it in your test suite and return a fresh, empty store:
 *
 * <pre>{@code
 * class MyApiKeyStoreCompatibilityTest extends ApiKeyStoreCompatibilityKit {
 *   @Override
 *   protected ApiKeyStore newStore() {
 *     return new MyApiKeyStore(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Time stamps carry microseconds (what {@link ApiKey} keeps), so a store must keep them exactly.
 */
public abstract class ApiKeyStoreCompatibilityKit {

  private static final int THREADS = 8;
  private static final Instant CREATED = Instant.parse("2026-02-01T08:30:00.123456Z");

  /** The store under test, fresh for every test (set before each test by {@link #newStore()}). */
  protected ApiKeyStore store;

  /** For subclasses. */
  protected ApiKeyStoreCompatibilityKit() {
  }

  /**
   * Creates the store to test.
   *
   * @return a new, empty store that shares nothing with stores returned before
   */
  protected abstract ApiKeyStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  /**
   * A key record as a test fixture: roles {@code agent} and {@code viewer} for a tenant key, {@code platform_admin}
   * for a platform key, a hash whose bytes span the whole byte range.
   *
   * @param id 8 characters {@code a-z0-9}
   * @param tenant the tenant, or {@code null} for a platform key
   * @param createdAt when it was created
   * @return the record
   */
  protected static ApiKeyRecord record(String id, @Nullable TenantId tenant, Instant createdAt) {
    Set<String> roles = tenant == null ? Set.of(TenantPrincipal.PLATFORM_ADMIN) : Set.of("agent", "viewer");
    ApiKey key = new ApiKey(id, tenant, "subject-" + id, "Key " + id + " für CI", roles, createdAt, null, null);
    byte[] hash = new byte[ApiKeyRecord.HASH_BYTES];
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) (i * 37 + id.charAt(i % id.length()));
    }
    hash[0] = 0;
    hash[1] = (byte) 0xff;
    return new ApiKeyRecord(key, hash);
  }

  // ---------------------------------------------------------------- insert and find

  @Test
  void insert_newKey_isFoundByIdExactlyAsGiven() {
    TenantId tenant = TenantId.random();
    ApiKeyRecord plain = record("aaaa0001", tenant, CREATED);
    ApiKey expiring = plain.key().withExpiresAt(CREATED.plus(Duration.ofDays(90)).plusNanos(7_000));
    ApiKeyRecord full = new ApiKeyRecord(new ApiKey("aaaa0002", tenant, "svc", "n", Set.of(), CREATED,
        expiring.expiresAt(), CREATED.plusSeconds(5)), plain.secretHash());

    assertThat(store.insert(plain)).isTrue();
    assertThat(store.insert(full)).isTrue();

    assertThat(store.findById("aaaa0001")).contains(plain);
    assertThat(store.findById("aaaa0002")).contains(full);
    assertThat(store.findById("aaaa0002").orElseThrow().secretHash()).isEqualTo(plain.secretHash());
  }

  @Test
  void insert_takenId_returnsFalseAndKeepsTheFirst() {
    ApiKeyRecord first = record("bbbb0001", TenantId.random(), CREATED);
    ApiKeyRecord second = record("bbbb0001", TenantId.random(), CREATED.plusSeconds(1));

    assertThat(store.insert(first)).isTrue();
    assertThat(store.insert(second)).isFalse();

    assertThat(store.findById("bbbb0001")).contains(first);
  }

  @Test
  void findById_unknown_isEmpty() {
    store.insert(record("cccc0001", TenantId.random(), CREATED));

    assertThat(store.findById("cccc0002")).isEmpty();
  }

  @Test
  void insert_platformKey_foundWithoutTenant() {
    ApiKeyRecord root = record("dddd0001", null, CREATED);

    store.insert(root);

    assertThat(store.findById("dddd0001")).contains(root);
    assertThat(store.findByTenant(null)).containsExactly(root);
  }

  @Test
  void findByTenant_theTenantsKeysOnly_oldestFirstThenById() {
    TenantId acme = TenantId.random();
    TenantId globex = TenantId.random();
    ApiKeyRecord late = record("eeee0003", acme, CREATED.plusSeconds(10));
    ApiKeyRecord tieB = record("eeee0002", acme, CREATED);
    ApiKeyRecord tieA = record("eeee0001", acme, CREATED);
    ApiKeyRecord foreign = record("eeee0004", globex, CREATED);
    ApiKeyRecord root = record("eeee0005", null, CREATED);
    for (ApiKeyRecord r : List.of(late, tieB, tieA, foreign, root)) {
      store.insert(r);
    }

    assertThat(store.findByTenant(acme)).containsExactly(tieA, tieB, late);
    assertThat(store.findByTenant(globex)).containsExactly(foreign);
    assertThat(store.findByTenant(null)).containsExactly(root);
    assertThat(store.findByTenant(TenantId.random())).isEmpty();
  }

  // ---------------------------------------------------------------- revoke and expire

  @Test
  void revoke_setsTheTime_andASecondRevocationKeepsTheFirst() {
    store.insert(record("ffff0001", TenantId.random(), CREATED));
    Instant first = CREATED.plusSeconds(60).plusNanos(123_000);

    assertThat(store.revoke("ffff0001", first)).hasValueSatisfying(r -> assertThat(r.key().revokedAt())
        .isEqualTo(first));
    assertThat(store.revoke("ffff0001", first.plusSeconds(60))).hasValueSatisfying(r ->
        assertThat(r.key().revokedAt()).isEqualTo(first));

    assertThat(store.findById("ffff0001").orElseThrow().key().revokedAt()).isEqualTo(first);
  }

  @Test
  void revoke_unknown_isEmptyAndChangesNothing() {
    ApiKeyRecord other = record("gggg0001", TenantId.random(), CREATED);
    store.insert(other);

    assertThat(store.revoke("gggg0002", CREATED)).isEmpty();
    assertThat(store.findById("gggg0001")).contains(other);
  }

  @Test
  void expireBy_setsAnExpiry_shortensALaterOne_keepsAnEarlierOne() {
    store.insert(record("hhhh0001", TenantId.random(), CREATED));
    Instant inAnHour = CREATED.plus(Duration.ofHours(1));

    assertThat(store.expireBy("hhhh0001", inAnHour.plus(Duration.ofDays(1))).orElseThrow().key().expiresAt())
        .isEqualTo(inAnHour.plus(Duration.ofDays(1)));
    assertThat(store.expireBy("hhhh0001", inAnHour).orElseThrow().key().expiresAt()).isEqualTo(inAnHour);
    assertThat(store.expireBy("hhhh0001", inAnHour.plus(Duration.ofDays(7))).orElseThrow().key().expiresAt())
        .as("never extended").isEqualTo(inAnHour);
    assertThat(store.findById("hhhh0001").orElseThrow().key().expiresAt()).isEqualTo(inAnHour);
    assertThat(store.expireBy("hhhh0002", inAnHour)).isEmpty();
  }

  @Test
  void revoke_keepsTheHashAndEverythingElse() {
    ApiKeyRecord original = record("iiii0001", TenantId.random(), CREATED);
    store.insert(original);
    Instant at = CREATED.plusSeconds(1);

    store.revoke("iiii0001", at);

    assertThat(store.findById("iiii0001")).contains(original.withKey(original.key().withRevokedAt(at)));
  }

  @Test
  void revokeAll_revokesTheTenantsLiveKeysOnly_andCountsThem() {
    TenantId acme = TenantId.random();
    TenantId globex = TenantId.random();
    store.insert(record("jjjj0001", acme, CREATED));
    store.insert(record("jjjj0002", acme, CREATED));
    store.insert(record("jjjj0003", acme, CREATED));
    store.insert(record("jjjj0004", globex, CREATED));
    store.insert(record("jjjj0005", null, CREATED));
    Instant earlier = CREATED.plusSeconds(1);
    Instant now = CREATED.plusSeconds(2);
    store.revoke("jjjj0003", earlier);

    assertThat(store.revokeAll(acme, now)).isEqualTo(2);

    assertThat(store.findById("jjjj0001").orElseThrow().key().revokedAt()).isEqualTo(now);
    assertThat(store.findById("jjjj0002").orElseThrow().key().revokedAt()).isEqualTo(now);
    assertThat(store.findById("jjjj0003").orElseThrow().key().revokedAt()).isEqualTo(earlier);
    assertThat(store.findById("jjjj0004").orElseThrow().key().revokedAt()).isNull();
    assertThat(store.findById("jjjj0005").orElseThrow().key().revokedAt()).isNull();
    assertThat(store.revokeAll(acme, now.plusSeconds(1))).isZero();
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void insert_sameIdFromManyThreads_exactlyOneWins() throws Exception {
    TenantId tenant = TenantId.random();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Instant created = CREATED.plusSeconds(t);
        Callable<Boolean> insert = () -> {
          start.await(10, TimeUnit.SECONDS);
          return store.insert(record("kkkk0001", tenant, created));
        };
        results.add(pool.submit(insert));
      }
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.findByTenant(tenant)).hasSize(1);
  }
}
