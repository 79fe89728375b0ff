package dev.tenancy.jdbc.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC store on the real PostgreSQL against the store contract: its claim is one conditional UPDATE. */
class JdbcMigrationStatusStorePostgresIT extends MigrationStatusStoreContract {

  private static PostgresSupport postgres;
  private static HikariDataSource pool;
  private static int stores;

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(10);
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
  MigrationStatusStore store() {
    return JdbcMigrationStatusStore.builder().dataSource(pool).schema("statuses_" + ++stores).build();
  }
}
