package dev.tenancy.crypto.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.crypto.spi.TenantKeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcTenantKeyStore} on a real PostgreSQL through a HikariCP pool keeps every promise of the kit and of its
 * table (concurrent adds of one version included). Each test uses its own schema in one throw-away database.
 */
class JdbcTenantKeyStorePostgresIT extends JdbcTenantKeyStoreContract {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static CryptoPostgres postgres;
  private static HikariDataSource pool;

  private String schema;

  @BeforeAll
  static void startDatabase() {
    postgres = CryptoPostgres.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(1);
    config.setPoolName("crypto-keys-it");
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
  protected TenantKeyStore newStore() {
    schema = "keys_" + SCHEMAS.incrementAndGet();
    return storeIn(schema);
  }

  @Override
  protected DataSource dataSource() {
    return pool;
  }

  @Override
  protected String schema() {
    return schema;
  }
}
