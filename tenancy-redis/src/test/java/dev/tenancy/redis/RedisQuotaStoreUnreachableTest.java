package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store pointed at a port where nothing listens follows its failure policy: no Redis server is needed, so these
 * run in every build.
 */
class RedisQuotaStoreUnreachableTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  private static final Instant IN_AN_HOUR = Instant.now().plus(Duration.ofHours(1));

  private String deadUri;
  private RedisQuotaStore store;

  @BeforeEach
  void findDeadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadUri = "redis://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void failClosed_redisUnreachable_throwsTheTypedExceptionWithinTheCommandTimeout() {
    // Loading Netty's classes on the JVM's first connection attempt is a one-off cost, not what this test measures.
    try (RedisQuotaStore warmUp = RedisQuotaStore.builder().uri(deadUri).build()) {
      assertThatThrownBy(() -> warmUp.current("warm-up")).isInstanceOf(QuotaStoreUnavailableException.class);
    }
    store = RedisQuotaStore.builder().uri(deadUri).commandTimeout(COMMAND_TIMEOUT).build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.addIfWithin("acme:api", 1, 10, IN_AN_HOUR))
        .isInstanceOf(QuotaStoreUnavailableException.class)
        .hasMessageContaining(deadUri).hasMessageContaining("FAIL_CLOSED")
        .satisfies(e -> assertThat(((QuotaStoreUnavailableException) e).target()).startsWith(deadUri));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(COMMAND_TIMEOUT.plusMillis(200));
  }

  @Test
  void failClosed_duringTheBackOff_laterCallsFailAtOnce() {
    store = RedisQuotaStore.builder().uri(deadUri).recoveryInterval(Duration.ofMinutes(1)).build();
    assertThatThrownBy(() -> store.current("acme:api")).isInstanceOf(QuotaStoreUnavailableException.class);
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> store.acquire("acme:rate", Duration.ofMillis(10), Duration.ZERO, 1))
          .isInstanceOf(QuotaStoreUnavailableException.class).hasMessageContaining("waits");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void failClosed_asyncCall_completesExceptionallyWithTheTypedException() {
    store = RedisQuotaStore.builder().uri(deadUri).commandTimeout(COMMAND_TIMEOUT).build();
    assertThatThrownBy(() -> store.acquireLeaseAsync("acme:users", "alice", 5, Duration.ofMinutes(1))
            .toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(QuotaStoreUnavailableException.class);
  }

  @Test
  void failOpen_redisUnreachable_answersFromTheFallbackAndAlertsOnce() {
    CountingQuotaStore fallback = new CountingQuotaStore();
    RecordingListener listener = new RecordingListener();
    store = RedisQuotaStore.builder().uri(deadUri).commandTimeout(COMMAND_TIMEOUT)
        .recoveryInterval(Duration.ofMillis(50))
        .failurePolicy(FailurePolicy.FAIL_OPEN).fallback(fallback).listener(listener).build();
    for (int i = 1; i <= 20; i++) {
      assertThat(store.addIfWithin("acme:api", 1, 15, IN_AN_HOUR)).isEqualTo(new CounterUpdate(i <= 15, Math.min(i, 15)));
    }
    assertThat(store.addIfWithinAsync("acme:api", 1, 15, IN_AN_HOUR).toCompletableFuture().join().added()).isFalse();
    assertThat(store.acquireLease("acme:users", "alice", 1, Duration.ofMinutes(1))).isTrue();
    assertThat(store.activeLeases("acme:users")).isEqualTo(1);
    store.releaseLease("acme:users", "alice");
    assertThat(store.subtract("acme:api", 5)).isEqualTo(10);
    assertThat(store.current("acme:api")).isEqualTo(10);
    assertThat(store.acquire("acme:rate", Duration.ofMillis(10), Duration.ZERO, 1).allowed()).isTrue();
    assertThat(fallback.calls()).isEqualTo(27);
    assertThat(listener.unavailable).hasValue(1);
    assertThat(listener.recovered).hasValue(0);
    assertThat(store.isAvailable()).isFalse();
  }

  @Test
  void failOpen_listenerThrows_isIgnoredAndTheFallbackStillAnswers() {
    CountingQuotaStore fallback = new CountingQuotaStore();
    store = RedisQuotaStore.builder().uri(deadUri).commandTimeout(COMMAND_TIMEOUT)
        .failurePolicy(FailurePolicy.FAIL_OPEN).fallback(fallback)
        .listener(new RedisAvailabilityListener() {
          @Override
          public void onUnavailable(String target, Throwable cause) {
            throw new IllegalStateException("pager is down too");
          }
        }).build();
    assertThat(store.addIfWithin("acme:api", 1, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 1));
    assertThat(fallback.calls()).isEqualTo(1);
  }

  @Test
  void close_calledTwice_isHarmlessAndLaterCallsAreRefusedAsMisuse() {
    store = RedisQuotaStore.builder().uri(deadUri).build();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.current("acme:api")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
