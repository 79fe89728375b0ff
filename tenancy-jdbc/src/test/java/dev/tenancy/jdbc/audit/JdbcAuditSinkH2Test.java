package dev.tenancy.jdbc.audit;

import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.test.AuditSinkCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/** {@link JdbcAuditSink} on an in-memory H2 database (the embedded default) passes the audit sink kit. */
class JdbcAuditSinkH2Test extends AuditSinkCompatibilityKit {

  private static @Nullable JdbcDataSource database;
  private static @Nullable JdbcAuditSink shared;

  @Override
  protected AuditSink newSink() {
    // The kit's tests use fresh tenants, so one database and one sink serve the whole class.
    if (shared == null) {
      database = new JdbcDataSource();
      database.setURL("jdbc:h2:mem:audit_kit_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
      shared = JdbcAuditSink.builder().dataSource(database).build();
    }
    return shared;
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      }
    }
    database = null;
    shared = null;
  }
}
