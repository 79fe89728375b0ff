package dev.tenancy.crypto.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link EncryptedColumns} and {@link ReEncryption} on a real PostgreSQL through a HikariCP pool (so connections come
 * back to the pool with auto-commit restored). Each test recreates table {@code leads} in one throw-away database.
 */
class ReEncryptionPostgresIT extends ReEncryptionContract {

  private static CryptoPostgres postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    postgres = CryptoPostgres.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(1);
    config.setPoolName("crypto-reencrypt-it");
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
