package dev.tenancy.jdbc.identity;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.jdbc.PostgresSupport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ApiKeyTableContract} on a real PostgreSQL; the dump is every row of the table rendered as text. */
class ApiKeyTablePostgresIT extends ApiKeyTableContract {

  private static PostgresSupport postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(postgres.adminDataSource());
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(1);
    config.setPoolName("api-key-table-it");
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

  @Override
  protected String dump(Connection connection, String schema) throws SQLException {
    StringBuilder dump = new StringBuilder();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT k::text, encode(k.secret_hash, 'escape') FROM " + schema
            + ".api_keys k")) {
      while (rows.next()) {
        dump.append(rows.getString(1)).append(' ').append(rows.getString(2)).append('\n');
      }
    }
    return dump.toString();
  }
}
