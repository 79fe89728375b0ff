package dev.tenancy.redis;

import dev.tenancy.core.spi.QuotaStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RedisQuotaStore} against the QuotaStore contract on a real Redis. When
 * {@code dev.tenancy.test.QuotaStoreCompatibilityKit} lands, extend it here instead of {@link QuotaStoreContract}.
 */
class RedisQuotaStoreContractIT extends QuotaStoreContract {

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
    RedisQuotaStore store = redis.storeBuilder("contract:").build();
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisQuotaStore::close);
  }
}
