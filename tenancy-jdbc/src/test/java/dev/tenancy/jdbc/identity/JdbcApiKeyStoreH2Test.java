package dev.tenancy.jdbc.identity;

import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.test.ApiKeyStoreCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link JdbcApiKeyStore} on an in-memory H2 database keeps every promise of the compatibility kit. */
class JdbcApiKeyStoreH2Test extends ApiKeyStoreCompatibilityKit {

  private JdbcDataSource database;

  @Override
  protected ApiKeyStore newStore() {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:keys_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    return JdbcApiKeyStore.builder().dataSource(database).build();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
