package dev.tenancy.redis;

import static dev.tenancy.redis.QuotaTestData.IN_AN_HOUR;
import static dev.tenancy.redis.QuotaTestData.THREADS;
import static dev.tenancy.redis.QuotaTestData.hammer;
import static dev.tenancy.redis.QuotaTestData.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only a shared store shows: several app instances, one exact limit, keys that always expire. */
class RedisQuotaStoreIT {

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

  @AfterEach
  void closeStores() {
    stores.forEach(RedisQuotaStore::close);
  }

  /** A store as one app instance would build it; instances built with the same sub-prefix share their limits. */
  private RedisQuotaStore instance(String subPrefix) {
    RedisQuotaStore store = redis.storeBuilder(subPrefix).build();
    stores.add(store);
    return store;
  }

  @Test
  void addIfWithin_twoInstancesSixteenThreads_addExactlyTheLimit() throws Exception {
    RedisQuotaStore first = instance("shared:");
    RedisQuotaStore second = instance("shared:");
    String key = key("api-calls");
    List<Boolean> added = hammer(THREADS, 200,
        thread -> () -> (thread % 2 == 0 ? first : second).addIfWithin(key, 1, 1000, IN_AN_HOUR).added());
    assertThat(added).hasSize(THREADS * 200).filteredOn(ok -> ok).hasSize(1000);
    assertThat(first.current(key)).isEqualTo(1000);
    assertThat(second.current(key)).isEqualTo(1000);
  }

  @Test
  void acquire_twoInstances_shareOneBucketAndGiveTheSameAnswers() {
    RedisQuotaStore first = instance("shared:");
    RedisQuotaStore second = instance("shared:");
    String key = key("rate");
    Duration interval = Duration.ofSeconds(2);
    Duration tolerance = interval.multipliedBy(9);
    for (int i = 0; i < 10; i++) {
      assertThat((i % 2 == 0 ? first : second).acquire(key, interval, tolerance, 1).allowed()).isTrue();
    }
    RateDecision fromFirst = first.acquire(key, interval, tolerance, 1);
    RateDecision fromSecond = second.acquire(key, interval, tolerance, 1);
    assertThat(fromFirst.allowed()).isFalse();
    assertThat(fromSecond.allowed()).isFalse();
    assertThat(fromFirst.retryAfter()).isBetween(interval.minusMillis(500), interval);
    assertThat(fromSecond.retryAfter()).isCloseTo(fromFirst.retryAfter(), Duration.ofMillis(100));
    assertThat(fromSecond.resetAfter()).isCloseTo(fromFirst.resetAfter(), Duration.ofMillis(100));
  }

  @Test
  void everyKeyTheStoreCreates_hasAnExpiry() {
    RedisQuotaStore store = instance("ttl:");
    Instant periodEnd = Instant.now().plus(Duration.ofDays(3));
    for (int i = 0; i < 5; i++) {
      store.addIfWithin("counter-" + i, 2, 5, periodEnd);
      store.addIfWithin("counter-" + i, 4, 5, periodEnd);
      store.subtract("counter-" + i, 1);
      store.subtract("never-added-" + i, 1);
      store.acquire("bucket-" + i, Duration.ofMillis(100), Duration.ofSeconds(1), 3);
      store.acquire("bucket-" + i, Duration.ofMillis(100), Duration.ofSeconds(1), 50);
      store.acquireLease("leases-" + i, "alice", 1, Duration.ofMinutes(5));
      store.acquireLease("leases-" + i, "bob", 1, Duration.ofMinutes(5));
      store.acquireLease("leases-" + i, "alice", 1, Duration.ofMinutes(1));
      store.activeLeases("leases-" + i);
    }
    List<String> keys = redis.keys("ttl:");
    assertThat(keys).hasSize(15);
    for (String key : keys) {
      assertThat(redis.commands().pttl(key)).as("PTTL of %s", key).isPositive();
    }
    long counterTtl = redis.commands().pttl(redis.prefix() + "ttl:c:counter-0");
    assertThat(counterTtl).isCloseTo(Duration.between(Instant.now(), periodEnd).toMillis(), withinMillis(5_000));
    assertThat(redis.commands().pttl(redis.prefix() + "ttl:b:bucket-0")).isLessThanOrEqualTo(300);
    assertThat(redis.commands().pttl(redis.prefix() + "ttl:l:leases-0")).isGreaterThan(Duration.ofMinutes(4).toMillis());
  }

  @Test
  void keyPrefix_keepsApplicationsOnOneRedisApart() {
    RedisQuotaStore billing = instance("billing:");
    RedisQuotaStore search = instance("search:");
    String key = key("api-calls");
    billing.addIfWithin(key, 5, 5, IN_AN_HOUR);
    assertThat(search.addIfWithin(key, 5, 5, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 5));
  }

  @Test
  void asyncChecks_manyInFlightOnOneConnection_addExactlyTheLimit() {
    // This checks exactness, not latency: a loaded 2-core CI machine may need more than 500 ms for 3000 scripts.
    RedisQuotaStore store = redis.storeBuilder("async:").commandTimeout(Duration.ofSeconds(20)).build();
    stores.add(store);
    String key = key("pipelined");
    List<CompletableFuture<CounterUpdate>> pending = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      pending.add(store.addIfWithinAsync(key, 1, 1000, IN_AN_HOUR).toCompletableFuture());
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(pending).filteredOn(update -> update.join().added()).hasSize(1000);
    assertThat(store.currentAsync(key).toCompletableFuture().join()).isEqualTo(1000);
  }

  @Test
  void script_unknownToTheServer_isSentInFullOnceAndThenRunsByDigest() {
    LuaScript script = new LuaScript("probe", "-- " + UUID.randomUUID() + "\nreturn redis.call('INCR', KEYS[1])");
    String key = redis.prefix() + "script-probe";
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(redis.commands().scriptExists(script.sha())).containsExactly(false);
      Long first = script.<Long>run(connection.async(), ScriptOutputType.INTEGER, key).toCompletableFuture().join();
      assertThat(redis.commands().scriptExists(script.sha())).containsExactly(true);
      Long second = script.<Long>run(connection.async(), ScriptOutputType.INTEGER, key).toCompletableFuture().join();
      assertThat(List.of(first, second)).containsExactly(1L, 2L);
    } finally {
      redis.commands().del(key);
      client.shutdown();
    }
  }

  @Test
  void storeOnAUsersClient_sharesItsThreadsAndLeavesItOpen() {
    RedisClient client = RedisClient.create(redis.uri());
    client.setOptions(io.lettuce.core.ClientOptions.builder()
        .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    try {
      String key = key("own-client");
      try (RedisQuotaStore store = RedisQuotaStore.builder().client(client).keyPrefix(redis.prefix()).build()) {
        assertThat(store.addIfWithin(key, 1, 1, IN_AN_HOUR).added()).isTrue();
      }
      try (StatefulRedisConnection<String, String> stillUsable = client.connect()) {
        assertThat(stillUsable.sync().get(redis.prefix() + "c:" + key)).isEqualTo("1");
      }
    } finally {
      client.shutdown();
    }
  }

  /**
   * An error reply about one key (here: another program wrote a string where the store keeps a lease set) must fail
   * that call by the policy, but must not mark Redis unavailable and send every tenant to the failure policy.
   */
  @Test
  void acquireLease_keyOfAnotherType_failsThatCallButRedisStaysAvailable() {
    RecordingListener listener = new RecordingListener();
    RedisQuotaStore store = redis.storeBuilder("wrongtype:").listener(listener).build();
    stores.add(store);
    redis.commands().set(redis.prefix() + "wrongtype:l:users", "not a sorted set");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.acquireLease("users", "alice", 5, Duration.ofMinutes(1)))
        .isInstanceOf(QuotaStoreUnavailableException.class).hasMessageContaining("WRONGTYPE")
        .hasMessageContaining("keyPrefix");
    assertThat(store.isAvailable()).isTrue();
    assertThat(store.acquireLease("other-users", "alice", 5, Duration.ofMinutes(1))).isTrue();
    assertThat(listener.unavailable).hasValue(0);
  }

  private static org.assertj.core.data.Offset<Long> withinMillis(long millis) {
    return org.assertj.core.data.Offset.offset(millis);
  }
}
