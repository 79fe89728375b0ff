package dev.tenancy.spring;

import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.redis.FailurePolicy;
import dev.tenancy.redis.RedisAvailabilityListener;
import dev.tenancy.redis.RedisQuotaStore;
import io.lettuce.core.RedisClient;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With tenancy-redis (and Lettuce) on the class path and {@code tenancy.quota.redis.url} set: a
 * {@link RedisQuotaStore}, so every app instance enforces one limit per tenant. Runs before
 * {@link TenancyAutoConfiguration}, whose in-memory quota store then stands back. A jar alone changes nothing: without
 * the URL quotas stay in memory.
 */
@AutoConfiguration(before = TenancyAutoConfiguration.class)
@ConditionalOnClass({RedisQuotaStore.class, RedisClient.class})
@ConditionalOnProperty(prefix = "tenancy.quota.redis", name = "url")
@EnableConfigurationProperties(TenancyProperties.class)
public final class TenancyRedisAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyRedisAutoConfiguration() {
  }

  /**
   * The store does not connect here: it connects on first use and keeps working once Redis comes up, so a Redis that
   * is down at start-up does not stop the application (quota calls answer by the failure policy meanwhile).
   *
   * @param properties the bound properties
   * @param listener the application's {@link RedisAvailabilityListener}, when it has exactly one
   * @return the store, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(QuotaStore.class)
  public RedisQuotaStore tenancyRedisQuotaStore(TenancyProperties properties,
      ObjectProvider<RedisAvailabilityListener> listener) {
    TenancyProperties.Quota.Redis redis = properties.getQuota().getRedis();
    RedisQuotaStore.Builder builder = RedisQuotaStore.builder()
        .uri(Objects.requireNonNull(redis.getUrl(), "tenancy.quota.redis.url"))
        .commandTimeout(redis.getCommandTimeout())
        .recoveryInterval(redis.getRecoveryInterval())
        .failurePolicy(FailurePolicy.valueOf(redis.getFailurePolicy().name()));
    if (redis.getFailurePolicy() == TenancyProperties.Quota.Redis.FailurePolicy.FAIL_OPEN) {
      builder.fallback(new InMemoryQuotaStore());
    }
    listener.ifUnique(builder::listener);
    return builder.build();
  }
}
