package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.redis.RedisQuotaStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Against the Redis named by {@code TENANCY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}); skipped with a
 * message when it is not reachable, unless {@code TENANCY_IT_REQUIRED=true} (CI), as tenancy-redis's RedisSupport
 * does. Two application contexts stand for two app instances sharing one Redis.
 */
class TenancyRedisAutoConfigurationIT {

  private static final String URL = env("TENANCY_TEST_REDIS_URL", "redis://127.0.0.1:6379");
  private static final String PREFIX = "tenancy-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> admin;

  private final ApplicationContextRunner instance = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyRedisAutoConfiguration.class, TenancyAutoConfiguration.class))
      .withPropertyValues("tenancy.quota.redis.url=" + URL, "tenancy.quota.key-prefix=" + PREFIX);

  @BeforeAll
  static void connect() {
    RedisURI uri = RedisURI.create(URL);
    uri.setTimeout(Duration.ofSeconds(2));
    client = RedisClient.create(uri);
    try {
      admin = client.connect();
      admin.sync().ping();
    } catch (RuntimeException e) {
      client.shutdown();
      String message = "Redis is not reachable at " + URL + " (" + e.getMessage() + "), which this integration test "
          + "needs. Start Redis or set TENANCY_TEST_REDIS_URL. The test is skipped, unless TENANCY_IT_REQUIRED=true "
          + "(as on CI) makes it fail.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      LoggerFactory.getLogger(TenancyRedisAutoConfigurationIT.class).warn(message);
      Assumptions.abort(message);
    }
  }

  @AfterAll
  static void cleanUp() {
    if (admin == null) {
      return;
    }
    try {
      List<String> keys = admin.sync().keys("*" + PREFIX + "*");
      if (!keys.isEmpty()) {
        admin.sync().del(keys.toArray(String[]::new));
      }
    } finally {
      admin.close();
      client.shutdown();
    }
  }

  @Test
  void twoInstancesWithTheUrl_countOneTenantsCallsInTheSameRedis() {
    TenantInfo acme = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("acme"));
    instance.run(first -> instance.run(second -> {
      assertThat(first.getBean(QuotaStore.class)).isInstanceOf(RedisQuotaStore.class);
      QuotaManager one = first.getBean(QuotaManager.class);
      QuotaManager two = second.getBean(QuotaManager.class);

      admit(one, acme);
      admit(two, acme);
      admit(one, acme);

      // Each instance reads the count both wrote: the counter lives in Redis, not in either process.
      assertThat(one.usage(acme).apiCalls().used()).isEqualTo(3);
      assertThat(two.usage(acme).apiCalls().used()).isEqualTo(3);
      assertThat(admin.sync().keys("*" + PREFIX + "*")).isNotEmpty();
    }));
  }

  private static void admit(QuotaManager quotas, TenantInfo tenant) {
    QuotaDecision decision = quotas.check(tenant);
    decision.permit().close();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
