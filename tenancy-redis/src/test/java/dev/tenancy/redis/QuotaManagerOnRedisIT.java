package dev.tenancy.redis;

import static dev.tenancy.redis.QuotaTestData.THREADS;
import static dev.tenancy.redis.QuotaTestData.hammer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quota engine as several app instances run it: {@link QuotaManager}s over {@link RedisQuotaStore}s on one real
 * Redis, with the tenant's rate limit and monthly quota decided in one round trip.
 */
class QuotaManagerOnRedisIT {

  private static RedisSupport redis;
  private final List<AutoCloseable> opened = new ArrayList<>();

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
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  /** One app instance: its own Redis connection and its own manager, sharing the Redis keys of every other. */
  private QuotaManager instance(RedisQuotaStore.Builder builder) {
    RedisQuotaStore store = builder.build();
    opened.add(store);
    QuotaManager manager = QuotaManager.builder().store(store).build();
    opened.add(manager);
    return manager;
  }

  private QuotaManager instance() {
    return instance(redis.storeBuilder("shared:"));
  }

  private static TenantInfo tenant(TenantId id, Map<StandardLimit, Long> limits) {
    Map<String, Long> byKey = new HashMap<>();
    limits.forEach((limit, value) -> byKey.put(limit.key(), value));
    return new TenantInfo(id, TenantSlug.of("acme"), TenantStatus.ACTIVE,
        new EffectiveConfiguration("test", Map.of(), byKey, null, Map.of()));
  }

  @Test
  void twoManagersSixteenThreads_allowExactlyTheMonthlyQuota() throws Exception {
    QuotaManager first = instance();
    QuotaManager second = instance();
    TenantInfo acme = tenant(TenantId.random(),
        Map.of(StandardLimit.API_CALLS_PER_MONTH, 1000L, StandardLimit.REQUESTS_PER_SECOND, 1_000_000L));

    List<Boolean> allowed = hammer(THREADS, 100, thread -> () -> {
      return admitted((thread % 2 == 0 ? first : second).check(acme));
    });

    assertThat(allowed).filteredOn(ok -> ok).hasSize(1000);
    QuotaDecision the1001st = first.check(acme);
    assertThat(the1001st.isAllowed()).isFalse();
    assertThat(the1001st.resource()).contains(QuotaResource.API_CALLS);
    assertThat(second.usage(acme).apiCalls().used()).isEqualTo(1000);
  }

  @Test
  void checkWithRateAndQuota_isOneRoundTripToRedis() {
    List<String> sent = new CopyOnWriteArrayList<>();
    RedisClient client = RedisClient.create(redis.uri());
    client.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    client.addListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        sent.add(event.getCommand().getType().toString());
      }
    });
    opened.add(client::shutdown);
    QuotaManager manager = instance(RedisQuotaStore.builder().client(client).keyPrefix(redis.prefix() + "shared:"));
    TenantInfo acme = tenant(TenantId.random(),
        Map.of(StandardLimit.API_CALLS_PER_MONTH, 1000L, StandardLimit.REQUESTS_PER_SECOND, 100L));
    manager.check(acme).permit().close(); // connects and loads the scripts
    sent.clear();

    for (int i = 0; i < 10; i++) {
      manager.check(acme).permit().close();
    }

    assertThat(sent).as("commands sent for 10 checks of rate limit and monthly quota").hasSize(10)
        .containsOnly("EVALSHA");
  }

  @Test
  void monthlyQuotaRefusal_leavesTheRateBucketUntouched() {
    QuotaManager manager = instance();
    TenantId id = TenantId.random();
    TenantInfo exhausted = tenant(id,
        Map.of(StandardLimit.API_CALLS_PER_MONTH, 0L, StandardLimit.REQUESTS_PER_SECOND, 1L)); // burst of 2
    for (int i = 0; i < 5; i++) {
      assertThat(manager.check(exhausted).resource()).contains(QuotaResource.API_CALLS);
    }

    TenantInfo raised = tenant(id, Map.of(StandardLimit.API_CALLS_PER_MONTH, 10L, StandardLimit.REQUESTS_PER_SECOND,
        1L));

    assertThat(manager.check(raised).isAllowed()).as("first of the burst").isTrue();
    assertThat(manager.check(raised).isAllowed()).as("second of the burst: refusals took no permit").isTrue();
    assertThat(manager.check(raised).resource()).contains(QuotaResource.RATE_LIMIT);
  }

  @Test
  void tierChange_appliesToTheVeryNextCallOnEveryInstance() {
    QuotaManager first = instance();
    QuotaManager second = instance();
    TenantId id = TenantId.random();
    TenantInfo free = tenant(id, Map.of(StandardLimit.API_CALLS_PER_MONTH, 2L));
    first.check(free).permit().close(); // allowed
    first.check(free).permit().close(); // allowed
    assertThat(second.check(free).isAllowed()).isFalse();

    TenantInfo pro = tenant(id, Map.of(StandardLimit.API_CALLS_PER_MONTH, 3L));

    assertThat(second.check(pro).isAllowed()).isTrue();
    assertThat(first.check(pro).isAllowed()).isFalse();
  }

  @Test
  void redisDown_failClosed_checkThrowsAndHoldsNoSlot_thenRecovers() {
    try (TcpProxy proxy = new TcpProxy(redis.uri().getHost(), redis.uri().getPort())) {
      QuotaManager manager = instance(throughProxy(proxy));
      TenantInfo acme = tenant(TenantId.random(),
          Map.of(StandardLimit.API_CALLS_PER_MONTH, 100L, StandardLimit.MAX_CONCURRENT_REQUESTS, 1L));
      manager.check(acme).permit().close();

      proxy.cut();

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> manager.check(acme)).isInstanceOf(QuotaStoreUnavailableException.class);
      }
      proxy.restore();

      // With a bulkhead of 1, a slot leaked by a failed check would refuse every later call as CONCURRENCY.
      await().atMost(Duration.ofSeconds(10)).ignoreException(QuotaStoreUnavailableException.class)
          .until(() -> {
            return admitted(manager.check(acme));
          });
      assertThat(manager.usage(acme).apiCalls().used()).as("only calls Redis answered are counted").isEqualTo(2);
      assertThat(manager.usage(acme).concurrentRequests().used()).as("no slot held after the outage").isZero();
    }
  }

  @Test
  void redisDown_failOpen_localFallbackEnforcesTheLimitOnThisInstance() {
    try (TcpProxy proxy = new TcpProxy(redis.uri().getHost(), redis.uri().getPort())) {
      QuotaManager manager = instance(throughProxy(proxy)
          .failurePolicy(FailurePolicy.FAIL_OPEN).fallback(new InMemoryQuotaStore()));
      TenantInfo acme = tenant(TenantId.random(), Map.of(StandardLimit.API_CALLS_PER_MONTH, 3L));

      proxy.cut();

      List<Boolean> allowed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        allowed.add(admitted(manager.check(acme)));
      }
      assertThat(allowed).containsExactly(true, true, true, false, false);
    }
  }

  /** Ends the request's work at once, as a filter would after the response; returns whether it was allowed. */
  private static boolean admitted(QuotaDecision decision) {
    if (decision.isAllowed()) {
      decision.permit().close();
    }
    return decision.isAllowed();
  }

  private static RedisQuotaStore.Builder throughProxy(TcpProxy proxy) {
    return RedisQuotaStore.builder().uri("redis://127.0.0.1:" + proxy.port()).keyPrefix(redis.prefix() + "proxied:")
        .commandTimeout(Duration.ofMillis(300)).recoveryInterval(Duration.ofMillis(100));
  }
}
