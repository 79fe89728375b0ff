package dev.tenancy.jdbc.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.jdbc.PostgresSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcUsageStore} on a real PostgreSQL through a HikariCP pool, as in production: batched upserts that keep
 * the greater value, concurrent flushes without deadlock, and a restart that keeps the month's count. Each test uses
 * its own schema in one throw-away database.
 */
class JdbcUsageStorePostgresIT extends UsageStoreContract {

  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(1);
    config.setPoolName("usage-it");
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
  protected DataSource dataSource() {
    return pool;
  }
}
