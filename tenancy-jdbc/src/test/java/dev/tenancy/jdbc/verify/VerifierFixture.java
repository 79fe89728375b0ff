package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.RlsPolicies;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One PostgreSQL database per test class with an application role; each fixture lives in its own schema, built the
 * recommended way (RlsPolicies) and then broken in exactly one place, so a test can demand exactly one finding.
 */
final class VerifierFixture implements AutoCloseable {

  final PostgresSupport database;
  final String app;

  VerifierFixture() {
    database = PostgresSupport.createDatabase();
    app = database.createApplicationRole("verify_app");
  }

  /**
   * Creates {@code schema.table}: uuid keys led by the tenant column, a per-tenant unique email, under the generated
   * policies.
   */
  void goodTable(String schema, String table) {
    database.execute("CREATE SCHEMA IF NOT EXISTS " + schema,
        "CREATE TABLE " + schema + "." + table + " (organization_id uuid NOT NULL,"
            + " id uuid NOT NULL DEFAULT gen_random_uuid(), email text NOT NULL,"
            + " PRIMARY KEY (organization_id, id), UNIQUE (organization_id, email))");
    applyPolicies(schema, table);
  }

  void applyPolicies(String schema, String... tables) {
    try (Connection owner = database.adminDataSource().getConnection()) {
      RlsPolicies.builder().schema(schema).tables(tables).applicationRole(app).build().apply(owner);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  IsolationVerifier verifier(String schema) {
    return IsolationVerifier.forPostgres().applicationRole(app).schemas(schema);
  }

  IsolationReport verify(String schema) throws SQLException {
    return verifier(schema).verify(database.adminDataSource());
  }

  /** Verifies the schema and demands exactly one finding, of the type, naming the object in object and message. */
  Finding single(String schema, FindingType type, String object) throws SQLException {
    IsolationReport report = verify(schema);
    assertThat(report.findings()).as(report.toString()).hasSize(1);
    Finding finding = report.findings().get(0);
    assertThat(finding.type()).isEqualTo(type);
    assertThat(finding.object()).contains(object);
    assertThat(finding.message()).contains(object);
    return finding;
  }

  @Override
  public void close() throws SQLException {
    database.close();
  }
}
