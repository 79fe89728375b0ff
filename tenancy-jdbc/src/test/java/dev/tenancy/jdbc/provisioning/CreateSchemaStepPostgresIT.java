package dev.tenancy.jdbc.provisioning;

import dev.tenancy.jdbc.PostgresSupport;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CreateSchemaStep} on a real PostgreSQL; each test uses its own schema prefix in one database. */
class CreateSchemaStepPostgresIT extends CreateSchemaStepContract {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static PostgresSupport postgres;

  private final String prefix = "t" + TESTS.incrementAndGet() + "_";

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresSupport.createDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  DataSource dataSource() {
    return postgres.adminDataSource();
  }

  @Override
  String prefix() {
    return prefix;
  }
}
