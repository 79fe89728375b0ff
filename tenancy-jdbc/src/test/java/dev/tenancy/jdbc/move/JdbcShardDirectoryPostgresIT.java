package dev.tenancy.jdbc.move;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcShardDirectory} on a real PostgreSQL through a HikariCP pool: the conditional UPDATE is the
 * compare-and-set, so of eight concurrent movers exactly one wins. Each test uses its own schema.
 */
class JdbcShardDirectoryPostgresIT extends MutableShardDirectoryContract {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    config.setPoolName("shards-it");
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
  protected MutableShardDirectory directory() {
    return JdbcShardDirectory.builder().dataSource(pool).schema("shards_" + SCHEMAS.incrementAndGet()).build();
  }

  @Override
  protected void place(MutableShardDirectory directory, TenantId tenant, String shard) {
    ((JdbcShardDirectory) directory).place(tenant, shard);
  }
}
