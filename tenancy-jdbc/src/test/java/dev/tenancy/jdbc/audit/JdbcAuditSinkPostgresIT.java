package dev.tenancy.jdbc.audit;

import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.test.AuditSinkCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcAuditSink} on a real PostgreSQL passes the audit sink kit as production runs it: connected as a non-owner
 * application role with only INSERT, SELECT and EXECUTE on the removal functions, so {@code deleteBefore} and
 * {@code erase} go through the owner's functions past the append-only trigger.
 */
class JdbcAuditSinkPostgresIT extends AuditSinkCompatibilityKit {

  private static AuditPostgres database;

  @BeforeAll
  static void startDatabase() {
    database = AuditPostgres.start();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected AuditSink newSink() {
    return database.sink;
  }
}
