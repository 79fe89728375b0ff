package dev.tenancy.redis;

import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.test.QuotaStoreCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RedisQuotaStore} against the published {@link QuotaStoreCompatibilityKit} on a real Redis: the same contract
 * the in-memory store passes. Time comes from the Redis server (it cannot travel), and every key the store makes is
 * checked for an expiry with PTTL.
 */
class RedisQuotaStoreContractIT extends QuotaStoreCompatibilityKit {

  private static final String SUB_PREFIX = "kit:";
  private static RedisSupport redis;
  private final List<RedisQuotaStore> stores = new ArrayList<>();

  @BeforeAll
  static void connect() {
    redis = RedisSupport.connect();
  }

  @AfterAll
  static void cleanUp() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected QuotaStore newStore() {
    RedisQuotaStore store = redis.storeBuilder(SUB_PREFIX).build();
    stores.add(store);
    return store;
  }

  @Override
  protected Instant now() {
    List<String> time = redis.commands().time();
    return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1_000L);
  }

  @Override
  protected boolean canInspectTimeToLive() {
    return true;
  }

  /** The store keeps counters, buckets and leases under their own sub-prefixes; the key is whichever exists. */
  @Override
  protected Optional<Duration> timeToLive(String key) {
    for (String kind : List.of("c:", "b:", "l:")) {
      Long millis = redis.commands().pttl(redis.prefix() + SUB_PREFIX + kind + key);
      if (millis != null && millis >= 0) {
        return Optional.of(Duration.ofMillis(millis));
      }
      if (millis != null && millis == -1) {
        return Optional.empty();
      }
    }
    throw new AssertionError("No key '" + key + "' of any kind under " + redis.prefix() + SUB_PREFIX);
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisQuotaStore::close);
  }
}
