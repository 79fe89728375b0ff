package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away and comes back while a store is in use. The outage is a local TCP proxy that the test cuts and
 * restores, so the shared Redis server keeps running for everyone else.
 */
class RedisQuotaStoreRecoveryIT {

  private static final Instant IN_AN_HOUR = Instant.now().plus(Duration.ofHours(1));

  private static RedisSupport redis;
  private TcpProxy proxy;
  private RedisQuotaStore store;
  private final RecordingListener listener = new RecordingListener();
  private final String key = "acme:api:" + UUID.randomUUID();

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

  @BeforeEach
  void startProxy() {
    proxy = new TcpProxy(redis.uri().getHost(), redis.uri().getPort());
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
    proxy.close();
  }

  private RedisQuotaStore.Builder throughProxy() {
    return RedisQuotaStore.builder().uri("redis://127.0.0.1:" + proxy.port()).keyPrefix(redis.prefix())
        .commandTimeout(Duration.ofMillis(300)).recoveryInterval(Duration.ofMillis(100)).listener(listener);
  }

  /** @return the counter's value in Redis itself, read past the proxy */
  private String inRedis() {
    return redis.commands().get(redis.prefix() + "c:" + key);
  }

  @Test
  void failOpen_redisGoesAwayAndReturns_fallbackAnswersMeanwhileThenRedisAgain() {
    CountingQuotaStore fallback = new CountingQuotaStore();
    store = throughProxy().failurePolicy(FailurePolicy.FAIL_OPEN).fallback(fallback).build();
    assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 1));

    proxy.cut();
    for (int i = 1; i <= 5; i++) {
      assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, i));
    }
    assertThat(fallback.calls()).isEqualTo(5);
    assertThat(inRedis()).isEqualTo("1");
    assertThat(listener.unavailable).hasValue(1);
    assertThat(store.isAvailable()).isFalse();

    proxy.restore();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      store.current(key);
      return listener.recovered.get() == 1;
    });
    assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 2));
    assertThat(inRedis()).isEqualTo("2");
    assertThat(listener.unavailable).hasValue(1);
    assertThat(listener.recovered).hasValue(1);
    assertThat(store.isAvailable()).isTrue();
  }

  @Test
  void failClosed_redisGoesAwayAndReturns_deniesMeanwhileThenUsesRedisAgain() {
    store = throughProxy().build();
    assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR).value()).isEqualTo(1);

    proxy.cut();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> store.addIfWithin(key, 1, 100, IN_AN_HOUR))
          .isInstanceOf(QuotaStoreUnavailableException.class);
    }
    assertThat(listener.unavailable).hasValue(1);

    proxy.restore();
    await().atMost(Duration.ofSeconds(10)).ignoreException(QuotaStoreUnavailableException.class)
        .until(() -> store.addIfWithin(key, 1, 100, IN_AN_HOUR).value() == 2);
    assertThat(inRedis()).isEqualTo("2");
    assertThat(listener.recovered).hasValue(1);
  }

  /**
   * Lettuce re-sends, after a reconnect, the commands that were in flight when a connection dropped; for an increment
   * that would count one request twice. Here an increment is swallowed by a black hole (Redis never sees it), the
   * connection drops, and Redis comes back: the increment must not arrive late.
   */
  @Test
  void addIfWithin_inFlightWhenTheConnectionDrops_isNeverReplayedAfterTheReconnect() {
    store = throughProxy().build();
    assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR).value()).isEqualTo(1);

    proxy.blackHole(true);
    assertThatThrownBy(() -> store.addIfWithin(key, 1, 100, IN_AN_HOUR))
        .isInstanceOf(QuotaStoreUnavailableException.class).hasMessageContaining("did not answer within 300 ms");
    proxy.cut();
    proxy.restore();

    await().atMost(Duration.ofSeconds(10)).ignoreException(QuotaStoreUnavailableException.class)
        .until(() -> store.current(key) >= 0 && listener.recovered.get() == 1);
    assertThat(inRedis()).isEqualTo("1");
    assertThat(store.addIfWithin(key, 1, 100, IN_AN_HOUR).value()).isEqualTo(2);
  }
}
