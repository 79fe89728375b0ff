package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A database per tenant on the real PostgreSQL: one throw-away database per tenant, one small pool each. */
class DatabasePerTenantIT extends IsolationContract {

  private final Map<TenantId, PostgresSupport> databases = new ConcurrentHashMap<>();
  private final List<HikariDataSource> created = new ArrayList<>();

  @AfterEach
  void dropDatabases() throws SQLException {
    synchronized (created) {
      created.forEach(HikariDataSource::close);
    }
    for (PostgresSupport database : databases.values()) {
      database.close();
    }
  }

  @Override
  protected TenantAwareDataSource dataSource(int poolSize) {
    return TenantAwareDataSource.of(DatabasePerTenant.builder(tenant -> pool(tenant, poolSize)).maximumPools(3).build());
  }

  private HikariDataSource pool(TenantInfo tenant, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(databases.get(tenant.id()).url());
    config.setUsername(PostgresSupport.ADMIN_USER);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(0);
    HikariDataSource pool = new HikariDataSource(config);
    synchronized (created) {
      created.add(pool);
    }
    return pool;
  }

  @Override
  protected void prepareTenant(TenantInfo tenant) {
    PostgresSupport database = PostgresSupport.createDatabase();
    database.execute("CREATE TABLE leads (id uuid PRIMARY KEY, name text NOT NULL)");
    databases.put(tenant.id(), database);
  }

  @Test
  void evictedPool_isClosedOnlyAfterItsBorrowedConnectionReturns() throws Exception {
    TenantInfo first = newTenant("first");
    TenantInfo second = newTenant("second");
    DatabasePerTenant strategy = DatabasePerTenant.builder(tenant -> pool(tenant, 1)).maximumPools(1).build();
    try (TenantAwareDataSource dataSource = TenantAwareDataSource.of(strategy)) {
      try (TenantScope a = TenantContext.enter(first); Connection held = dataSource.getConnection()) {
        inScope(second, dataSource, connection -> insert(connection, "second")); // evicts first's pool
        assertThat(strategy.openPools()).isEqualTo(1);
        HikariDataSource firstPool = created.get(0);
        assertThat(firstPool.isClosed()).as("still in use").isFalse();
        insert(held, "first");                                                    // the held connection still works
        assertThat(names(held)).containsExactly("first");
        held.close();
        assertThat(firstPool.isClosed()).as("closed once returned").isTrue();
      }
      inScope(first, dataSource, connection -> assertThat(names(connection)).containsExactly("first"));
    }
  }
}
