package dev.tenancy.jdbc.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.test.TenantStoreCompatibilityKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcTenantStore} on a real PostgreSQL, through a HikariCP pool as in production, passes the compatibility
 * kit — including eight threads racing for one slug and one version. Each test gets its own store schema, so stores
 * are fresh while the database (and its change notifications) is shared.
 */
class JdbcTenantStorePostgresIT extends TenantStoreCompatibilityKit {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  private final List<JdbcTenantStore> stores = new ArrayList<>();

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresSupport.createDatabase();
    pool = pool(postgres, 10);
  }

  static HikariDataSource pool(PostgresSupport postgres, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName("store-it");
    return new HikariDataSource(config);
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
  protected TenantStore newStore() {
    JdbcTenantStore store = JdbcTenantStore.builder()
        .dataSource(pool)
        .schema("tenancy_" + SCHEMAS.incrementAndGet())
        .build();
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(JdbcTenantStore::close);
  }
}
