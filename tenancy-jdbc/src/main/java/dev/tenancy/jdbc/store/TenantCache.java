package dev.tenancy.jdbc.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The store's bounded read cache of tenants by id and by slug, misses included (so a flood of unknown slugs costs one
 * query each per TTL, and a newly created tenant is announced like any other change).
 *
 * <p>Freshness has two guards. A load stores its result only if no invalidation happened while it was reading (a
 * generation counter), so a read that raced a change can never re-insert the old value after the change was announced
 * — Caffeine makes a single-key invalidation wait for a load of that key, but clearing the whole cache does not reach
 * loads still in flight.
 * And while the change feed is down ({@link #trusted(boolean) trusted(false)}) the cache is bypassed altogether,
 * because changes made meanwhile would not be announced.
 */
final class TenantCache {

  /** One hit in this many, at random, is recorded for the eviction policy; the others are read quietly. */
  private static final int RECORDED_READ_ONE_IN = 16;

  private final @Nullable Cache<TenantId, Optional<Tenant>> byId;
  private final @Nullable Cache<TenantSlug, Optional<Tenant>> bySlug;
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean trusted = true;

  /**
   * @param ttl how long an entry lives; zero disables caching
   * @param maximumSize the most entries per index
   * @param ticker the clock the TTL runs on
   */
  TenantCache(Duration ttl, long maximumSize, Ticker ticker) {
    if (ttl.isZero()) {
      this.byId = null;
      this.bySlug = null;
    } else {
      this.byId = newCache(ttl, maximumSize, ticker);
      this.bySlug = newCache(ttl, maximumSize, ticker);
    }
  }

  private static <K> Cache<K, Optional<Tenant>> newCache(Duration ttl, long maximumSize, Ticker ticker) {
    return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(ticker)
        // Maintenance on the calling thread. Once the cache is half full, Caffeine records reads for its eviction
        // policy and drains them in batches; on the common pool every batch woke a thread (Unsafe.unpark was 15 % of
        // a request's library time at 10,000 tenants), which costs more than the batch itself.
        .executor(Runnable::run)
        .build();
  }

  Optional<Tenant> byId(TenantId id, Function<TenantId, Optional<Tenant>> loader) {
    return get(byId, id, loader);
  }

  Optional<Tenant> bySlug(TenantSlug slug, Function<TenantSlug, Optional<Tenant>> loader) {
    return get(bySlug, slug, loader);
  }

  private <K> Optional<Tenant> get(@Nullable Cache<K, Optional<Tenant>> cache, K key,
      Function<K, Optional<Tenant>> loader) {
    if (cache == null || !trusted) {
      return loader.apply(key);
    }
    // The hit, every request's case, first: it allocates nothing (the loading path below allocates its result holder
    // and the capturing lambda on every call, hit or miss). Only a sample of hits is recorded for the eviction
    // policy: recording reorders shared lists and counters, a cache miss or two per read once the cache holds
    // thousands of tenants, and a hot tenant is sampled often enough to stay.
    Optional<Tenant> hit = ThreadLocalRandom.current().nextInt(RECORDED_READ_ONE_IN) == 0
        ? cache.getIfPresent(key)
        : cache.policy().getIfPresentQuietly(key);
    if (hit != null) {
      return hit;
    }
    LoadResult result = new LoadResult();
    Optional<Tenant> cached = cache.get(key, k -> {
      long before = generation.get();
      Optional<Tenant> loaded = loader.apply(k);
      result.value = loaded;
      // Returning null stores nothing: the value may predate a change announced while we were reading.
      return generation.get() == before && trusted ? loaded : null;
    });
    if (cached != null) {
      return cached;
    }
    return result.get();
  }

  /**
   * Tells whether every change is being announced. While not, the cache is bypassed; whoever sets it back to
   * {@code true} must {@link #invalidateAll()} afterwards, since changes made meanwhile went unannounced.
   *
   * @param announced {@code true} while a change feed is established (or none is needed)
   */
  void trusted(boolean announced) {
    trusted = announced;
  }

  /**
   * Forgets one tenant, under both keys.
   *
   * @param id its id
   * @param slug its slug, or {@code null} if unknown (then every slug entry goes)
   */
  void invalidate(TenantId id, @Nullable TenantSlug slug) {
    generation.incrementAndGet();
    if (byId == null || bySlug == null) {
      return;
    }
    byId.invalidate(id);
    if (slug == null) {
      bySlug.invalidateAll();
    } else {
      bySlug.invalidate(slug);
    }
  }

  /** Forgets everything: after a gap in the change feed, any entry may be stale. */
  void invalidateAll() {
    generation.incrementAndGet();
    if (byId != null && bySlug != null) {
      byId.invalidateAll();
      bySlug.invalidateAll();
    }
  }

  /** The value a load produced, for when the cache declined to keep it. */
  private static final class LoadResult implements Supplier<Optional<Tenant>> {
    private @Nullable Optional<Tenant> value;

    @Override
    public Optional<Tenant> get() {
      if (value == null) {
        throw new IllegalStateException("cache declined a value that was never loaded");
      }
      return value;
    }
  }
}
