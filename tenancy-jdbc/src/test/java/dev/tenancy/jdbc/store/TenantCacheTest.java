package dev.tenancy.jdbc.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The freshness guards of the store's cache, driven step by step with latches. */
class TenantCacheTest {

  private final TenantCache cache = new TenantCache(Duration.ofHours(1), 100, Ticker.systemTicker());
  private final Tenant active = JdbcTenantStoreCacheTest.tenant("acme");
  private final Tenant suspended = active.withStatus(TenantStatus.SUSPENDED, active.updatedAt());
  private final AtomicInteger loads = new AtomicInteger();

  /**
   * A read that started before the change feed reconnected may hold a value changed while nobody listened; clearing
   * the cache does not reach a load still in flight, so storing its result would serve it until the TTL ran out — an
   * hour of a suspended tenant still being served.
   */
  @Test
  void byId_loadInFlightWhileEverythingIsInvalidated_isReturnedButNotKept() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch changed = new CountDownLatch(1);
    CompletableFuture<Optional<Tenant>> slowRead = CompletableFuture.supplyAsync(() -> cache.byId(active.id(), id -> {
      loads.incrementAndGet();
      reading.countDown();
      await(changed);
      return Optional.of(active);
    }));
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

    cache.invalidateAll();
    changed.countDown();

    assertThat(slowRead.get(10, TimeUnit.SECONDS)).contains(active);
    assertThat(cache.byId(active.id(), this::load)).contains(suspended);
    assertThat(loads).hasValue(2);
  }

  @Test
  void byId_whileNotTrusted_alwaysLoadsAndKeepsNothing() {
    cache.trusted(false);

    cache.byId(active.id(), this::load);
    cache.byId(active.id(), this::load);
    cache.trusted(true);
    cache.byId(active.id(), this::load);
    cache.byId(active.id(), this::load);

    assertThat(loads).hasValue(3);
  }

  @Test
  void invalidateAll_forgetsEveryTenantUnderBothKeys() {
    cache.byId(active.id(), this::load);
    cache.bySlug(active.slug(), slug -> load(active.id()));

    cache.invalidateAll();
    cache.byId(active.id(), this::load);
    cache.bySlug(active.slug(), slug -> load(active.id()));

    assertThat(loads).hasValue(4);
  }

  /**
   * Only a sample of hits is recorded for the eviction policy; a tenant served on every request must still be the one
   * the policy keeps when a stream of tenants seen once passes through a full cache (without any recorded hit, the
   * policy could not tell it from them). 200 hits between one-off tenants: Caffeine starts counting only once the
   * cache is half full, so the hot tenant must have a hit recorded in the five rounds before the first eviction
   * (with 20 hits a round that failed 2 times in 5,000; with 200, chance (15/16)^1000).
   */
  @Test
  void byId_hotTenantAmongManySeenOnce_staysCached() {
    TenantCache small = new TenantCache(Duration.ofHours(1), 10, Ticker.systemTicker());
    small.byId(active.id(), this::load);
    for (int i = 0; i < 100; i++) {
      for (int read = 0; read < 200; read++) {
        small.byId(active.id(), this::load);
      }
      small.byId(TenantId.random(), id -> Optional.empty());
    }
    assertThat(loads).hasValue(1);
  }

  private Optional<Tenant> load(TenantId id) {
    loads.incrementAndGet();
    return Optional.of(suspended);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
