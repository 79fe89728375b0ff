package dev.tenancy.crypto.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link EncryptedColumns} and {@link ReEncryption} on an in-memory H2 database. {@code DATABASE_TO_LOWER} makes H2
 * store unquoted names in lower case as PostgreSQL does, since the walker quotes the names it is given.
 */
class ReEncryptionH2Test extends ReEncryptionContract {

  private final JdbcDataSource database = new JdbcDataSource();

  ReEncryptionH2Test() {
    database.setURL("jdbc:h2:mem:reencrypt_" + UUID.randomUUID().toString().replace("-", "")
        + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
  }

  @Override
  protected DataSource dataSource() {
    return database;
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
