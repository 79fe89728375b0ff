package dev.tenancy.jdbc.usage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link JdbcUsageStore} on an in-memory H2 database, the embedded default. */
class JdbcUsageStoreH2Test extends UsageStoreContract {

  private JdbcDataSource database;

  @Override
  protected DataSource dataSource() {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:usage_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    return database;
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
