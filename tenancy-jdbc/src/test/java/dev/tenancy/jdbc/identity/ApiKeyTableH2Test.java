package dev.tenancy.jdbc.identity;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link ApiKeyTableContract} on H2, with H2's own full {@code SCRIPT} dump of the database. */
class ApiKeyTableH2Test extends ApiKeyTableContract {

  private JdbcDataSource database;

  @Override
  protected DataSource dataSource() {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:keytable_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    return database;
  }

  @Override
  protected String dump(Connection connection, String schema) throws SQLException {
    StringBuilder dump = new StringBuilder();
    try (Statement statement = connection.createStatement(); ResultSet lines = statement.executeQuery("SCRIPT")) {
      while (lines.next()) {
        dump.append(lines.getString(1)).append('\n');
      }
    }
    return dump.toString();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
