package dev.tenancy.core.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.ContextSnapshot;
import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A cache whose entries belong to the tenant in scope: the same key read by two tenants names two entries, and a call
 * outside a tenant scope throws {@link NoTenantException} instead of falling back to a shared bucket.
 *
 * <p>All tenants share one Caffeine cache whose keys carry the tenant, so there is no lock or map per tenant and the
 * optional size bound is shared by all of them (Caffeine's frequency-based admission keeps one tenant's burst of
 * one-off keys from flushing the others' hot entries).
 *
 * <p>The trap this class closes: a plain Caffeine {@code AsyncCache} or {@code AsyncLoadingCache} runs its loader on
 * its executor ({@link ForkJoinPool#commonPool()} unless configured), a pooled thread that holds no tenant, so a
 * tenant-aware repository called from the loader fails — or, with a fail-open library, reads the wrong tenant's data.
 * {@link #getAsync} binds the loader to the caller's tenant with a {@link ContextSnapshot}, and the pooled thread
 * holds nothing again once the loader returns.
 *
 * <pre>{@code
 * TenantScopedCache<String, Plan> plans = TenantScopedCache.<String, Plan>builder().maximumSize(10_000).build();
 * Plan plan = plans.get("current", key -> planRepository.load(key));   // inside a tenant scope
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TenantScopedCache<K, V> {

  private final AsyncCache<TenantKey<K>, V> cache;

  private TenantScopedCache(AsyncCache<TenantKey<K>, V> cache) {
    this.cache = cache;
  }

  /**
   * Starts configuring a cache; every option is optional.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @return a new builder
   */
  public static <K, V> Builder<K, V> builder() {
    return new Builder<>();
  }

  /**
   * Returns the current tenant's value for a key, loading it on the calling thread if absent. The loader runs inside
   * the caller's tenant scope; concurrent calls for the same tenant and key wait for one load.
   *
   * @param key the key
   * @param loader computes the value when absent; must not return {@code null} and must not use this cache
   * @return the value
   * @throws NoTenantException outside a tenant scope (the loader is not called)
   * @throws NullPointerException if the loader returns {@code null}
   */
  public V get(K key, Function<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    TenantKey<K> tenantKey = scoped(key);
    // Returning an already completed future keeps the load on the caller's thread, inside the caller's scope: the
    // synchronous view of an AsyncCache would otherwise hand the loader to the executor.
    CompletableFuture<V> future = cache.get(tenantKey, (k, executor) ->
        CompletableFuture.completedFuture(requireLoaded(loader.apply(k.key()), k)));
    return join(future);
  }

  /**
   * Returns the current tenant's value for a key, if one is loaded. A load still in progress counts as absent; this
   * method never waits.
   *
   * @param key the key
   * @return the value, or empty
   * @throws NoTenantException outside a tenant scope
   */
  public Optional<V> getIfPresent(K key) {
    CompletableFuture<V> future = cache.getIfPresent(scoped(key));
    if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.ofNullable(future.join());
  }

  /**
   * Stores a value for the current tenant, replacing any earlier one.
   *
   * @param key the key
   * @param value the value
   * @throws NoTenantException outside a tenant scope
   */
  public void put(K key, V value) {
    Objects.requireNonNull(value, "value");
    cache.put(scoped(key), CompletableFuture.completedFuture(value));
  }

  /**
   * Removes the current tenant's value for a key.
   *
   * @param key the key
   * @throws NoTenantException outside a tenant scope
   */
  public void invalidate(K key) {
    cache.synchronous().invalidate(scoped(key));
  }

  /**
   * Returns the current tenant's value for a key, loading it on the configured executor if absent. The loader runs as
   * the calling tenant, whichever pooled thread it lands on; that thread holds no tenant again afterwards.
   * Continuations added to the returned future run wherever it completes, usually a pooled thread without a tenant:
   * bind them with {@link ContextSnapshot#wrap}. Cancelling the returned future does not cancel a load that other
   * callers share.
   *
   * @param key the key
   * @param loader computes the value when absent; must not return {@code null}
   * @return a future of the value; it fails with whatever the loader threw, and the failed load is not cached
   * @throws NoTenantException outside a tenant scope (thrown, not returned as a failed future, since it is a wiring bug)
   */
  public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    TenantKey<K> tenantKey = scoped(key);
    CompletableFuture<V> future = cache.get(tenantKey, (k, executor) -> {
      // Captured here, on the caller's thread: the executor's threads know nothing of the caller's tenant.
      Supplier<V> load = () -> requireLoaded(loader.apply(k.key()), k);
      return CompletableFuture.supplyAsync(ContextSnapshot.capture().wrap(load), executor);
    });
    return future.copy();
  }

  /**
   * Removes every entry of one tenant and keeps the others' — for example when the tenant is suspended, deleted or
   * restored from a backup. Needs no tenant scope. A load that is still running for that tenant may store its value
   * after this call returns.
   *
   * @param tenant the tenant whose entries to drop
   */
  public void invalidateTenant(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    // Walks the entries instead of keeping an index per tenant: no extra structure to keep consistent, no lock.
    cache.asMap().keySet().removeIf(key -> key.tenant().equals(tenant));
  }

  /**
   * The approximate number of entries of all tenants together. Needs no tenant scope.
   *
   * @return the estimated size
   */
  public long estimatedSize() {
    return cache.synchronous().estimatedSize();
  }

  private TenantKey<K> scoped(K key) {
    Objects.requireNonNull(key, "key");
    return new TenantKey<>(TenantContext.require().id(), key);
  }

  private static <V> V requireLoaded(@Nullable V value, TenantKey<?> key) {
    if (value == null) {
      throw new NullPointerException("The loader returned null for key '" + key.key() + "' of tenant " + key.tenant()
          + "; return a value, or represent absence explicitly (for example with Optional as the value type)");
    }
    return value;
  }

  private static <V> V join(CompletableFuture<V> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      // Another caller's asynchronous load of the same entry failed: surface its exception as the loader's own.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Configures a {@link TenantScopedCache}. Each option may be set once; values are validated by {@link #build()}.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {

    private @Nullable Long maximumSize;
    private @Nullable Duration expireAfterWrite;
    private @Nullable Executor executor;

    private Builder() {
    }

    /**
     * Bounds the number of entries of all tenants together; unbounded if not set.
     *
     * @param maximumSize the bound, at least 1
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder<K, V> maximumSize(long maximumSize) {
      requireUnset(this.maximumSize, "maximumSize");
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Drops each entry this long after it was loaded or put; entries never expire if not set.
     *
     * @param expireAfterWrite a positive duration
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder<K, V> expireAfterWrite(Duration expireAfterWrite) {
      requireUnset(this.expireAfterWrite, "expireAfterWrite");
      this.expireAfterWrite = Objects.requireNonNull(expireAfterWrite, "expireAfterWrite");
      return this;
    }

    /**
     * Sets where {@link TenantScopedCache#getAsync} loads run (and Caffeine's maintenance work); the default is
     * {@link ForkJoinPool#commonPool()}. The executor needs no tenant awareness of its own.
     *
     * @param executor the executor
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder<K, V> executor(Executor executor) {
      requireUnset(this.executor, "executor");
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Creates the cache.
     *
     * @return the cache
     * @throws IllegalArgumentException if the maximum size is below 1 or the expiry is not positive
     */
    public TenantScopedCache<K, V> build() {
      Caffeine<Object, Object> caffeine = Caffeine.newBuilder();
      if (maximumSize != null) {
        if (maximumSize < 1) {
          throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
        }
        caffeine.maximumSize(maximumSize);
      }
      if (expireAfterWrite != null) {
        if (expireAfterWrite.isNegative() || expireAfterWrite.isZero()) {
          throw new IllegalArgumentException("expireAfterWrite must be positive, was " + expireAfterWrite);
        }
        caffeine.expireAfterWrite(expireAfterWrite);
      }
      caffeine.executor(executor == null ? ForkJoinPool.commonPool() : executor);
      return new TenantScopedCache<>(caffeine.buildAsync());
    }

    private static void requireUnset(@Nullable Object current, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
