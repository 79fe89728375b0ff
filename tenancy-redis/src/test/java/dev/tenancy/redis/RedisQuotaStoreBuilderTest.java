package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisQuotaStoreBuilderTest {

  @Test
  void build_withoutUriOrClient_saysWhereToSetRedis() {
    assertThatThrownBy(() -> RedisQuotaStore.builder().build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("uri(");
  }

  @Test
  void build_failOpenWithoutFallback_isRejected() {
    assertThatThrownBy(() -> RedisQuotaStore.builder().uri("redis://127.0.0.1:6379")
            .failurePolicy(FailurePolicy.FAIL_OPEN).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("fallback(QuotaStore)");
  }

  @Test
  void build_fallbackWithFailClosed_isRejectedAsContradictory() {
    assertThatThrownBy(() -> RedisQuotaStore.builder().uri("redis://127.0.0.1:6379")
            .fallback(new CountingQuotaStore()).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("FAIL_OPEN");
  }

  /** With Lettuce's default options an increment in flight during a disconnect is re-sent, and counted twice. */
  @Test
  void build_clientThatWouldReplayCommands_isRejected() {
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try {
      assertThatThrownBy(() -> RedisQuotaStore.builder().client(client).build())
          .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("REJECT_COMMANDS");
      client.setOptions(ClientOptions.builder()
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
      RedisQuotaStore.builder().client(client).build().close();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void options_invalidValues_areRejectedWhenSet() {
    RedisQuotaStore.Builder builder = RedisQuotaStore.builder();
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.recoveryInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.keyPrefix(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.uri("not a uri")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_redisDown_neitherConnectsNorBlocks() {
    long start = System.nanoTime();
    RedisQuotaStore store = RedisQuotaStore.builder().uri("redis://127.0.0.1:1").build();
    store.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
