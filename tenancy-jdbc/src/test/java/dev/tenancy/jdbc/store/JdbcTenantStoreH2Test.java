package dev.tenancy.jdbc.store;

import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.test.TenantStoreCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link JdbcTenantStore} on an in-memory H2 database, the embedded default, passes the compatibility kit. */
class JdbcTenantStoreH2Test extends TenantStoreCompatibilityKit {

  private final List<JdbcTenantStore> stores = new ArrayList<>();
  private final List<JdbcDataSource> databases = new ArrayList<>();

  /** A fresh in-memory database that lives until the test ends; shared by every connection of the test. */
  static JdbcDataSource freshH2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:store_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @Override
  protected TenantStore newStore() {
    JdbcDataSource database = freshH2();
    databases.add(database);
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).build();
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() throws SQLException {
    stores.forEach(JdbcTenantStore::close);
    for (JdbcDataSource database : databases) {
      shutdown(database);
    }
  }

  /** Drops an in-memory database that {@code DB_CLOSE_DELAY=-1} would otherwise keep until the JVM exits. */
  static void shutdown(JdbcDataSource database) throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
