package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.redis.RedisQuotaStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The conditions only; {@link TenancyRedisAutoConfigurationIT} talks to a real Redis. */
class TenancyRedisAutoConfigurationTest {

  // A port nothing listens on: the store is built without connecting, so these tests need no Redis.
  private static final String NOWHERE = "redis://127.0.0.1:1";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyRedisAutoConfiguration.class, TenancyAutoConfiguration.class));

  @Test
  void noUrl_quotasStayInMemory() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(RedisQuotaStore.class);
      assertThat(context.getBean(QuotaStore.class)).isInstanceOf(InMemoryQuotaStore.class);
    });
  }

  @Test
  void url_redisStoreReplacesTheInMemoryOneUnderTheQuotaManager() {
    runner.withPropertyValues("tenancy.quota.redis.url=" + NOWHERE).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(QuotaStore.class).hasSingleBean(QuotaManager.class);
      assertThat(context.getBean(QuotaStore.class)).isInstanceOf(RedisQuotaStore.class);
    });
  }

  @Test
  void url_withoutTenancyRedisOnTheClassPath_quotasStayInMemory() {
    runner.withClassLoader(new FilteredClassLoader(RedisQuotaStore.class))
        .withPropertyValues("tenancy.quota.redis.url=" + NOWHERE).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(QuotaStore.class)).isInstanceOf(InMemoryQuotaStore.class);
        });
  }

  @Test
  void ownQuotaStore_winsOverTheUrl() {
    runner.withUserConfiguration(OwnStore.class).withPropertyValues("tenancy.quota.redis.url=" + NOWHERE)
        .run(context -> assertThat(context.getBean(QuotaStore.class)).isSameAs(OwnStore.STORE));
  }

  @Test
  void failOpen_buildsWithAnInMemoryFallback() {
    runner.withPropertyValues("tenancy.quota.redis.url=" + NOWHERE, "tenancy.quota.redis.failure-policy=fail-open",
        "tenancy.quota.redis.command-timeout=50ms").run(context -> {
          assertThat(context).hasNotFailed();
          QuotaStore store = context.getBean(QuotaStore.class);
          // Redis is not there: fail-open answers from memory instead of throwing.
          assertThat(store.current("k")).isZero();
        });
  }

  @Test
  void badUrl_failsStartUp() {
    runner.withPropertyValues("tenancy.quota.redis.url=not a url")
        .run(context -> assertThat(context).hasFailed());
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    static final QuotaStore STORE = new InMemoryQuotaStore();

    @Bean
    QuotaStore myQuotaStore() {
      return STORE;
    }
  }
}
