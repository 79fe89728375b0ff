package dev.tenancy.jdbc.identity;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.test.ApiKeyStoreCompatibilityKit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcApiKeyStore} on a real PostgreSQL through a HikariCP pool keeps every promise of the compatibility kit
 * (concurrent inserts of one id included). Each test uses its own schema in one throw-away database.
 */
class JdbcApiKeyStorePostgresIT extends ApiKeyStoreCompatibilityKit {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(1);
    config.setPoolName("api-keys-it");
    pool = new HikariDataSource(config);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected ApiKeyStore newStore() {
    return JdbcApiKeyStore.builder().dataSource(pool).schema("keys_" + SCHEMAS.incrementAndGet()).build();
  }
}
