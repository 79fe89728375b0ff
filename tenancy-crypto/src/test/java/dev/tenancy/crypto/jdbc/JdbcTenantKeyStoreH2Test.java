package dev.tenancy.crypto.jdbc;

import dev.tenancy.crypto.spi.TenantKeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link JdbcTenantKeyStore} on an in-memory H2 database keeps every promise of the kit and of its table. */
class JdbcTenantKeyStoreH2Test extends JdbcTenantKeyStoreContract {

  private JdbcDataSource database;

  @Override
  protected TenantKeyStore newStore() {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:crypto_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    return storeIn(schema());
  }

  @Override
  protected DataSource dataSource() {
    return database;
  }

  @Override
  protected String schema() {
    return "tenancy_crypto";
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
