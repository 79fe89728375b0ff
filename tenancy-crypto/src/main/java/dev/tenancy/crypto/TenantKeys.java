package dev.tenancy.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants' data keys: creates AES-256 keys per tenant and version, wraps them with the KEK into a
 * {@link TenantKeyStore}, unwraps them on demand into a bounded cache, rotates them, re-wraps them when the KEK
 * changes, and destroys them (crypto-shredding).
 *
 * <pre>{@code
 * TenantKeys keys = TenantKeys.builder(kek, store).maxEncryptionsPerKey(1L << 28).build();
 * keys.create(tenant);          // normally done by DataKeyProvisioningStep
 * keys.rotate(tenant);          // new writes use version 2, version 1 still decrypts
 * keys.rewrapAll();             // after switching the KEK: re-wrap every version, data untouched
 * keys.destroy(tenant);         // crypto-shred: nothing of the tenant decrypts any more
 * }</pre>
 *
 * <p>Encryptions are counted per key version in this process; past {@link Builder#maxEncryptionsPerKey} the tenant's
 * key is rotated before the next encryption, keeping far below the 2^32 random-nonce bound of AES-GCM. The count is
 * per process (see docs/crypto.md: with N instances and restarts, the bound is the limit times their number).
 *
 * <p>Thread-safe. Key material never appears in logs, {@code toString()} or exceptions.
 *
 * @since 0.1.0
 */
public final class TenantKeys {

  /** Default encryptions per key version and process: 2^28, 1/16 of the NIST SP 800-38D bound for random nonces. */
  public static final long DEFAULT_MAX_ENCRYPTIONS_PER_KEY = 1L << 28;

  private static final Logger LOG = LoggerFactory.getLogger(TenantKeys.class);
  private static final byte[] WRAP_LABEL = "tenancy.datakey.v1".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_BYTES = 32;

  private final KeyEncryptionKeyProvider kek;
  private final TenantKeyStore store;
  private final long maxEncryptionsPerKey;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Cache<VersionRef, DataKey> keys;
  // One lookup on the encryption hot path: the current key together with its usage counter.
  private final Cache<TenantId, Current> currentVersions;
  private final ConcurrentMap<VersionRef, AtomicLong> encryptions = new ConcurrentHashMap<>();

  private TenantKeys(Builder builder) {
    this.kek = builder.kek;
    this.store = builder.store;
    this.maxEncryptionsPerKey = builder.maxEncryptionsPerKey;
    this.clock = builder.clock;
    // The TTL bounds how long another instance keeps serving a tenant shredded or rotated elsewhere.
    this.keys = Caffeine.newBuilder().maximumSize(builder.cacheSize).expireAfterWrite(builder.cacheTtl).build();
    this.currentVersions = Caffeine.newBuilder().maximumSize(builder.cacheSize)
        .expireAfterWrite(builder.cacheTtl).build();
  }

  /**
   * @param kek wraps and unwraps the data keys
   * @param store keeps the wrapped data keys
   * @return a builder with the defaults (10,000 cached keys for 10 minutes, {@link #DEFAULT_MAX_ENCRYPTIONS_PER_KEY})
   */
  public static Builder builder(KeyEncryptionKeyProvider kek, TenantKeyStore store) {
    return new Builder(kek, store);
  }

  /**
   * Gives a tenant its first data key, or does nothing if it has one (idempotent, as provisioning steps must be).
   *
   * @param tenant the tenant
   * @return the tenant's current key version
   */
  public synchronized int create(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    List<TenantDataKey> versions = store.versions(tenant);
    if (!versions.isEmpty()) {
      return versions.get(versions.size() - 1).version();
    }
    try {
      newVersion(tenant, 1);
      return 1;
    } catch (DataKeyConflictException e) {
      // Another instance created it first: same outcome.
      return currentVersion(tenant);
    }
  }

  /**
   * Creates a new key version for new writes; older versions keep decrypting.
   *
   * @param tenant the tenant
   * @return the new current version
   * @throws TenantKeysDestroyedException if the tenant has no keys
   */
  public synchronized int rotate(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    int latest = latestStored(tenant);
    try {
      newVersion(tenant, latest + 1);
      LOG.info("Rotated the data key of tenant {} to version {}", tenant, latest + 1);
      return latest + 1;
    } catch (DataKeyConflictException e) {
      currentVersions.invalidate(tenant);
      return currentVersion(tenant);
    }
  }

  /**
   * @param tenant the tenant
   * @return the version new encryptions use
   * @throws TenantKeysDestroyedException if the tenant has no keys
   */
  public int currentVersion(TenantId tenant) {
    return current(Objects.requireNonNull(tenant, "tenant")).key().version();
  }

  /**
   * Re-wraps every tenant's every key version not yet wrapped by the KEK's current version, without touching data.
   * Run it after making a new KEK current; retire the old KEK once it returns.
   *
   * @return how many key versions were re-wrapped
   */
  public int rewrapAll() {
    String current = kek.currentKeyId();
    int count = 0;
    for (TenantId tenant : store.tenants()) {
      for (TenantDataKey key : store.versions(tenant)) {
        if (key.wrapped().keyId().equals(current)) {
          continue;
        }
        byte[] context = context(tenant, key.version());
        byte[] raw = kek.unwrap(key.wrapped(), context);
        try {
          WrappedKey rewrapped = kek.wrap(raw, context);
          store.rewrap(new TenantDataKey(tenant, key.version(), rewrapped, key.createdAt()));
          count++;
        } catch (DataKeyConflictException e) {
          LOG.info("Tenant {} key version {} was destroyed while re-wrapping; skipped", tenant, key.version());
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
      }
    }
    LOG.info("Re-wrapped {} data key versions with KEK '{}'", count, current);
    return count;
  }

  /**
   * Crypto-shreds a tenant: destroys every key version in the store and drops them from this instance's cache, so
   * nothing encrypted for the tenant decrypts again — in the database or in any backup. Other instances drop their
   * cached copies within the cache TTL.
   *
   * @param tenant the tenant
   * @return how many key versions were destroyed
   */
  public synchronized int destroy(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    int destroyed = store.destroy(tenant);
    currentVersions.invalidate(tenant);
    keys.asMap().keySet().removeIf(ref -> ref.tenant().equals(tenant));
    encryptions.keySet().removeIf(ref -> ref.tenant().equals(tenant));
    LOG.info("Crypto-shredded tenant {}: destroyed {} data key versions", tenant, destroyed);
    return destroyed;
  }

  /**
   * Destroys one retired key version of a tenant, once its data was re-encrypted under a newer version (see
   * {@code ReEncryption}): values still encrypted under it never decrypt again, so old copies (backups) of them are
   * shredded too. The current version cannot be retired: rotate first.
   *
   * @param tenant the tenant
   * @param version an older version
   * @return 1 if it was destroyed, 0 if it did not exist
   * @throws IllegalArgumentException if {@code version} is the tenant's current version
   */
  public synchronized int retire(TenantId tenant, int version) {
    Objects.requireNonNull(tenant, "tenant");
    int current = currentVersion(tenant);
    if (version >= current) {
      throw new IllegalArgumentException("Version " + version + " of tenant " + tenant + " is not retired: the "
          + "current version is " + current + "; rotate(tenant) and re-encrypt first");
    }
    int retired = store.retire(tenant, version);
    VersionRef ref = new VersionRef(tenant, version);
    keys.invalidate(ref);
    encryptions.remove(ref);
    LOG.info("Retired data key version {} of tenant {}", version, tenant);
    return retired;
  }

  /** The key for the next encryption, counted; rotates first when the current version is used up. */
  DataKey forEncryption(TenantId tenant) {
    while (true) {
      Current current = current(tenant);
      if (current.used().incrementAndGet() <= maxEncryptionsPerKey) {
        return current.key();
      }
      rotateIfCurrent(tenant, current.key().version());
    }
  }

  /** Exactly the named version: never another one (GCM does not commit to its key). */
  DataKey forDecryption(TenantId tenant, int version) {
    return forDecryption(new VersionRef(tenant, version));
  }

  long encryptions(TenantId tenant, int version) {
    AtomicLong count = encryptions.get(new VersionRef(tenant, version));
    return count == null ? 0 : count.get();
  }

  private Current current(TenantId tenant) {
    return currentVersions.get(tenant, t -> {
      VersionRef ref = new VersionRef(t, latestStored(t));
      // The counter outlives cache evictions: it lives in the map until the tenant is destroyed.
      return new Current(forDecryption(ref), encryptions.computeIfAbsent(ref, r -> new AtomicLong()));
    });
  }

  private DataKey forDecryption(VersionRef ref) {
    return keys.get(ref, this::load);
  }

  private synchronized void rotateIfCurrent(TenantId tenant, int exhausted) {
    currentVersions.invalidate(tenant);
    if (latestStored(tenant) == exhausted) {
      LOG.info("Data key version {} of tenant {} reached {} encryptions; rotating", exhausted, tenant,
          maxEncryptionsPerKey);
      rotate(tenant);
    }
  }

  private DataKey load(VersionRef ref) {
    TenantDataKey stored = store.find(ref.tenant(), ref.version()).orElseThrow(() -> {
      if (store.versions(ref.tenant()).isEmpty()) {
        return new TenantKeysDestroyedException(ref.tenant());
      }
      return new UnknownKeyVersionException(ref.tenant(), ref.version());
    });
    byte[] raw = kek.unwrap(stored.wrapped(), context(ref.tenant(), ref.version()));
    try {
      return new DataKey(ref.version(), new SecretKeySpec(raw, "AES"));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private int latestStored(TenantId tenant) {
    List<TenantDataKey> versions = store.versions(tenant);
    if (versions.isEmpty()) {
      throw new TenantKeysDestroyedException(tenant);
    }
    return versions.get(versions.size() - 1).version();
  }

  private void newVersion(TenantId tenant, int version) {
    byte[] raw = new byte[KEY_BYTES];
    random.nextBytes(raw);
    try {
      WrappedKey wrapped = kek.wrap(raw, context(tenant, version));
      store.add(new TenantDataKey(tenant, version, wrapped, clock.instant()));
      VersionRef ref = new VersionRef(tenant, version);
      DataKey key = new DataKey(version, new SecretKeySpec(raw, "AES"));
      keys.put(ref, key);
      currentVersions.put(tenant, new Current(key, encryptions.computeIfAbsent(ref, r -> new AtomicLong())));
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Binds a wrapped key to its tenant and version: a wrapped key copied to another row does not unwrap. */
  static byte[] context(TenantId tenant, int version) {
    return LengthPrefixed.encode(WRAP_LABEL, tenant.toString().getBytes(StandardCharsets.US_ASCII),
        LengthPrefixed.int32(version));
  }

  @Override
  public String toString() {
    return "TenantKeys[kek=" + kek.currentKeyId() + ", cached=" + keys.estimatedSize() + "]";
  }

  private record VersionRef(TenantId tenant, int version) {}

  private record Current(DataKey key, AtomicLong used) {}

  /** Options of {@link TenantKeys}; each set at most once. */
  public static final class Builder {
    private final KeyEncryptionKeyProvider kek;
    private final TenantKeyStore store;
    private long cacheSize = 10_000;
    private Duration cacheTtl = Duration.ofMinutes(10);
    private long maxEncryptionsPerKey = DEFAULT_MAX_ENCRYPTIONS_PER_KEY;
    private Clock clock = Clock.systemUTC();

    private Builder(KeyEncryptionKeyProvider kek, TenantKeyStore store) {
      this.kek = Objects.requireNonNull(kek, "kek");
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param size how many unwrapped key versions to cache (each costs one KEK unwrap to reload)
     * @return this builder
     */
    public Builder cacheSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("cacheSize must be positive, was " + size);
      }
      this.cacheSize = size;
      return this;
    }

    /**
     * @param ttl how long an unwrapped key and a tenant's current version are cached; bounds how long another
     *     instance keeps using a key destroyed or rotated elsewhere
     * @return this builder
     */
    public Builder cacheTtl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("cacheTtl must be positive, was " + ttl);
      }
      this.cacheTtl = ttl;
      return this;
    }

    /**
     * @param max encryptions per key version in this process before the tenant's key is rotated
     * @return this builder
     */
    public Builder maxEncryptionsPerKey(long max) {
      if (max < 1 || max > (1L << 32)) {
        throw new IllegalArgumentException("maxEncryptionsPerKey must be in [1, 2^32], was " + max);
      }
      this.maxEncryptionsPerKey = max;
      return this;
    }

    /**
     * @param clock stamps {@code createdAt} of new key versions
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @return the key manager */
    public TenantKeys build() {
      return new TenantKeys(this);
    }
  }
}
