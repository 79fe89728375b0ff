package dev.tenancy.crypto.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TenantKeyStore} must have. Extend it and return a fresh, empty store:
 *
 * <pre>{@code
 * class MyTenantKeyStoreTest extends TenantKeyStoreCompatibilityKit {
 *   @Override
 *   protected TenantKeyStore newStore() {
 *     return new MyTenantKeyStore(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Time stamps carry microseconds (what PostgreSQL keeps), so a store must keep at least those exactly. A store
 * with its own exception types names them in {@link #duplicateVersionException()} and
 * {@link #unknownVersionException()}, and the kit then insists on them.
 */
public abstract class TenantKeyStoreCompatibilityKit {

  private static final int THREADS = 8;
  private static final Instant CREATED = Instant.parse("2026-03-01T09:15:00.123456Z");

  /** The store under test, fresh for every test (set before each test by {@link #newStore()}). */
  protected TenantKeyStore store;

  private final List<ExecutorService> executors = new ArrayList<>();

  /** For subclasses. */
  protected TenantKeyStoreCompatibilityKit() {
  }

  /**
   * Creates the store to test.
   *
   * @return a new, empty store that shares nothing with stores returned before
   */
  protected abstract TenantKeyStore newStore();

  /** @return what {@link TenantKeyStore#add} throws for an existing version; narrow it to your own type */
  protected Class<? extends TenancyException> duplicateVersionException() {
    return TenancyException.class;
  }

  /** @return what {@link TenantKeyStore#rewrap} throws for a missing version; narrow it to your own type */
  protected Class<? extends TenancyException> unknownVersionException() {
    return TenancyException.class;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void stopExecutors() {
    executors.forEach(ExecutorService::shutdownNow);
  }

  /**
   * A wrapped key as a test fixture: bytes that span the whole byte range (0x00, 0xff and everything between) and
   * differ per tenant, version and {@code salt}.
   *
   * @param tenant the tenant
   * @param version the version
   * @param kekId the KEK id
   * @param salt makes two wrappings of the same version differ
   * @return the key, created at a fixed microsecond instant plus {@code version} seconds
   */
  protected static TenantDataKey key(TenantId tenant, int version, String kekId, int salt) {
    byte[] wrapped = new byte[60 + salt % 7];
    byte[] seed = tenant.value().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < wrapped.length; i++) {
      wrapped[i] = (byte) (i * 31 + version * 7 + salt * 13 + seed[i % seed.length]);
    }
    wrapped[0] = 0;
    wrapped[1] = (byte) 0xff;
    return new TenantDataKey(tenant, version, new WrappedKey(kekId, wrapped), CREATED.plusSeconds(version));
  }

  private static TenantDataKey key(TenantId tenant, int version) {
    return key(tenant, version, "kek-1", 0);
  }

  // ---------------------------------------------------------------- add and find

  @Test
  void add_newVersion_isFoundExactlyAsGiven() {
    TenantId tenant = TenantId.random();
    TenantDataKey key = key(tenant, 1);

    store.add(key);

    assertThat(store.find(tenant, 1)).contains(key);
    assertThat(store.find(tenant, 1).orElseThrow().wrapped().ciphertext()).isEqualTo(key.wrapped().ciphertext());
    assertThat(store.find(tenant, 1).orElseThrow().createdAt()).isEqualTo(key.createdAt());
  }

  @Test
  void retire_oneVersion_removesOnlyThatVersion() {
    TenantId tenant = TenantId.random();
    TenantId other = TenantId.random();
    store.add(key(tenant, 1));
    store.add(key(tenant, 2));
    store.add(key(other, 1));

    assertThat(store.retire(tenant, 1)).isEqualTo(1);
    assertThat(store.retire(tenant, 1)).as("already gone").isZero();

    assertThat(store.find(tenant, 1)).isEmpty();
    assertThat(store.find(tenant, 2)).isPresent();
    assertThat(store.find(other, 1)).isPresent();
  }

  @Test
  void find_unknownVersionOrTenant_isEmpty() {
    TenantId tenant = TenantId.random();
    store.add(key(tenant, 1));

    assertThat(store.find(tenant, 2)).isEmpty();
    assertThat(store.find(TenantId.random(), 1)).isEmpty();
  }

  @Test
  void versions_allOfTheTenant_ascendingWhateverTheOrderAdded() {
    TenantId tenant = TenantId.random();
    TenantDataKey v1 = key(tenant, 1);
    TenantDataKey v2 = key(tenant, 2, "kek-2", 0);
    TenantDataKey v10 = key(tenant, 10);
    store.add(v10);
    store.add(v1);
    store.add(v2);
    store.add(key(TenantId.random(), 3));

    assertThat(store.versions(tenant)).containsExactly(v1, v2, v10);
    assertThat(store.versions(TenantId.random())).isEmpty();
  }

  @Test
  void add_existingVersion_isRefusedAndKeepsTheFirst() {
    TenantId tenant = TenantId.random();
    TenantDataKey first = key(tenant, 1, "kek-1", 0);
    TenantDataKey second = key(tenant, 1, "kek-2", 1);
    store.add(first);

    assertThatThrownBy(() -> store.add(second))
        .isInstanceOf(duplicateVersionException())
        .hasMessageContaining(tenant.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(hex(second)).doesNotContain(hex(first)));

    assertThat(store.versions(tenant)).containsExactly(first);
  }

  @Test
  void add_sameVersionForAnotherTenant_isIndependent() {
    TenantDataKey acme = key(TenantId.random(), 1);
    TenantDataKey globex = key(TenantId.random(), 1);

    store.add(acme);
    store.add(globex);

    assertThat(store.find(acme.tenant(), 1)).contains(acme);
    assertThat(store.find(globex.tenant(), 1)).contains(globex);
  }

  // ---------------------------------------------------------------- rewrap

  @Test
  void rewrap_existingVersion_replacesTheWrappingOnly() {
    TenantId tenant = TenantId.random();
    TenantDataKey v1 = key(tenant, 1, "kek-1", 0);
    TenantDataKey v2 = key(tenant, 2, "kek-1", 0);
    store.add(v1);
    store.add(v2);
    TenantDataKey rewrapped = new TenantDataKey(tenant, 1, key(tenant, 1, "kek-2", 5).wrapped(), v1.createdAt());

    store.rewrap(rewrapped);

    assertThat(store.find(tenant, 1)).contains(rewrapped);
    assertThat(store.find(tenant, 1).orElseThrow().wrapped().keyId()).isEqualTo("kek-2");
    assertThat(store.find(tenant, 2)).contains(v2);
    assertThat(store.versions(tenant)).hasSize(2);
  }

  @Test
  void rewrap_missingVersion_isRefusedAndAddsNothing() {
    TenantId tenant = TenantId.random();
    store.add(key(tenant, 1));

    assertThatThrownBy(() -> store.rewrap(key(tenant, 2, "kek-2", 0)))
        .isInstanceOf(unknownVersionException())
        .hasMessageContaining(tenant.toString());
    TenantId stranger = TenantId.random();
    assertThatThrownBy(() -> store.rewrap(key(stranger, 1, "kek-2", 0)))
        .isInstanceOf(unknownVersionException());

    assertThat(store.find(tenant, 2)).isEmpty();
    assertThat(store.versions(stranger)).isEmpty();
    assertThat(store.tenants()).containsExactly(tenant);
  }

  @Test
  void rewrap_afterDestroy_isRefusedSoAShreddedKeyNeverComesBack() {
    TenantId tenant = TenantId.random();
    TenantDataKey v1 = key(tenant, 1);
    store.add(v1);
    store.destroy(tenant);

    assertThatThrownBy(() -> store.rewrap(key(tenant, 1, "kek-2", 0))).isInstanceOf(unknownVersionException());

    assertThat(store.find(tenant, 1)).isEmpty();
  }

  // ---------------------------------------------------------------- destroy and tenants

  @Test
  void destroy_removesEveryVersion_andReturnsTheCount() {
    TenantId tenant = TenantId.random();
    for (int version = 1; version <= 3; version++) {
      store.add(key(tenant, version));
    }

    assertThat(store.destroy(tenant)).isEqualTo(3);

    assertThat(store.versions(tenant)).isEmpty();
    for (int version = 1; version <= 3; version++) {
      assertThat(store.find(tenant, version)).isEmpty();
    }
    assertThat(store.tenants()).doesNotContain(tenant);
    assertThat(store.destroy(tenant)).isZero();
  }

  @Test
  void destroy_leavesOtherTenantsUntouched() {
    TenantId doomed = TenantId.random();
    TenantId survivor = TenantId.random();
    List<TenantDataKey> kept = List.of(key(survivor, 1), key(survivor, 2, "kek-2", 3));
    store.add(key(doomed, 1));
    store.add(key(doomed, 2));
    kept.forEach(store::add);

    store.destroy(doomed);

    assertThat(store.versions(survivor)).containsExactlyElementsOf(kept);
    assertThat(store.tenants()).containsExactly(survivor);
  }

  @Test
  void destroy_unknownTenant_returnsZeroAndTouchesNothing() {
    TenantDataKey key = key(TenantId.random(), 1);
    store.add(key);

    assertThat(store.destroy(TenantId.random())).isZero();

    assertThat(store.find(key.tenant(), 1)).contains(key);
  }

  @Test
  void tenants_eachTenantWithKeysOnce() {
    TenantId acme = TenantId.random();
    TenantId globex = TenantId.random();
    assertThat(store.tenants()).isEmpty();
    store.add(key(acme, 1));
    store.add(key(acme, 2));
    store.add(key(globex, 1));

    assertThat(store.tenants()).containsExactlyInAnyOrder(acme, globex);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void add_sameVersionConcurrently_exactlyOneWins() throws Exception {
    TenantId tenant = TenantId.random();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Callable<TenantDataKey>> adds = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      TenantDataKey candidate = key(tenant, 1, "kek-" + i, i);
      adds.add(() -> {
        start.await(10, TimeUnit.SECONDS);
        store.add(candidate);
        return candidate;
      });
    }

    List<TenantDataKey> winners = new ArrayList<>();
    List<Throwable> losers = new ArrayList<>();
    for (Future<TenantDataKey> outcome : executor().invokeAll(adds, 30, TimeUnit.SECONDS)) {
      try {
        winners.add(outcome.get());
      } catch (ExecutionException e) {
        losers.add(e.getCause());
      }
    }

    assertThat(winners).hasSize(1);
    assertThat(losers).hasSize(THREADS - 1).allSatisfy(e -> assertThat(e).isInstanceOf(duplicateVersionException()));
    assertThat(store.versions(tenant)).containsExactly(winners.get(0));
  }

  @Test
  void add_differentVersionsConcurrently_allKept() throws Exception {
    TenantId tenant = TenantId.random();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Callable<TenantDataKey>> adds = new ArrayList<>();
    List<TenantDataKey> expected = new ArrayList<>();
    for (int version = 1; version <= THREADS; version++) {
      TenantDataKey key = key(tenant, version);
      expected.add(key);
      adds.add(() -> {
        start.await(10, TimeUnit.SECONDS);
        store.add(key);
        return key;
      });
    }

    for (Future<TenantDataKey> outcome : executor().invokeAll(adds, 30, TimeUnit.SECONDS)) {
      outcome.get();
    }

    assertThat(store.versions(tenant)).containsExactlyElementsOf(expected);
  }

  private ExecutorService executor() {
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    executors.add(executor);
    return executor;
  }

  private static String hex(TenantDataKey key) {
    return HexFormat.of().formatHex(key.wrapped().ciphertext());
  }
}
