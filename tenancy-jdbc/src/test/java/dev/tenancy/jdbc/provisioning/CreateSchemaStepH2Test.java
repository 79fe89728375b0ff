package dev.tenancy.jdbc.provisioning;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link CreateSchemaStep} on H2, the embedded default's schema-per-tenant database. */
class CreateSchemaStepH2Test extends CreateSchemaStepContract {

  private final JdbcDataSource database = new JdbcDataSource();

  CreateSchemaStepH2Test() {
    database.setURL("jdbc:h2:mem:schemas_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
  }

  @Override
  DataSource dataSource() {
    return database;
  }

  @Override
  String prefix() {
    return "tenant_";
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }
}
