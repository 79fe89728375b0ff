package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schema per tenant on in-memory H2: every tenant schema has the same tables, and PUBLIC holds none of them. */
class IsolationVerifierH2Test {

  private JdbcDataSource dataSource;
  private Connection keepAlive;

  @BeforeEach
  void createDatabase() throws SQLException {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:verify_" + UUID.randomUUID().toString().replace("-", ""));
    keepAlive = dataSource.getConnection();
    execute("CREATE TABLE PUBLIC.TIERS (NAME VARCHAR(20) PRIMARY KEY)");
    for (String schema : new String[] {"tenant_acme", "tenant_globex"}) {
      execute("CREATE SCHEMA \"" + schema + "\"",
          "CREATE TABLE \"" + schema + "\".LEADS (ID UUID PRIMARY KEY, NAME VARCHAR(100))",
          "CREATE TABLE \"" + schema + "\".DEALS (ID UUID PRIMARY KEY, LEAD_ID UUID)");
    }
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    keepAlive.close();
  }

  @Test
  void verify_sameTablesInEveryTenantSchema_clean() throws SQLException {
    IsolationReport report = IsolationVerifier.forH2().verify(dataSource);

    assertThat(report.findings()).as(report.toString()).isEmpty();
    assertThat(report.tenantTables()).containsExactly("tenant_acme.DEALS", "tenant_acme.LEADS",
        "tenant_globex.DEALS", "tenant_globex.LEADS");
  }

  @Test
  void verify_tenantSchemaMissingATable_flagged() throws SQLException {
    execute("DROP TABLE \"tenant_globex\".DEALS");

    IsolationReport report = IsolationVerifier.forH2().verify(dataSource);

    assertThat(report.findings()).extracting(Finding::type, Finding::object)
        .containsExactly(tuple(FindingType.TENANT_TABLE_MISSING, "tenant_globex.DEALS"));
    assertThat(report.findings().get(0).message()).contains("tenant_globex").contains("DEALS");
  }

  @Test
  void verify_declaredTableMissingEverywhere_flaggedPerSchema() throws SQLException {
    IsolationReport report = IsolationVerifier.forH2().tables("leads", "deals", "invoices").verify(dataSource);

    assertThat(report.findings()).extracting(Finding::type, Finding::object).containsExactly(
        tuple(FindingType.TENANT_TABLE_MISSING, "tenant_acme.invoices"),
        tuple(FindingType.TENANT_TABLE_MISSING, "tenant_globex.invoices"));
  }

  @Test
  void verify_tenantShapedTablesInPublic_flagged() throws SQLException {
    execute("CREATE TABLE PUBLIC.LEADS (ID UUID PRIMARY KEY)",
        "CREATE TABLE PUBLIC.AUDIT (ORGANIZATION_ID UUID, EVENT VARCHAR(50))");

    IsolationReport report = IsolationVerifier.forH2().verify(dataSource);

    assertThat(report.findings()).extracting(Finding::type, Finding::object).containsExactlyInAnyOrder(
        tuple(FindingType.SHARED_TENANT_TABLE, "PUBLIC.LEADS"),
        tuple(FindingType.SHARED_TENANT_TABLE, "PUBLIC.AUDIT"));
    assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.message()).contains("PUBLIC"));
  }

  @Test
  void verify_noSchemaWithThePrefix_flaggedInsteadOfPassing() throws SQLException {
    IsolationReport report = IsolationVerifier.forH2().tenantSchemaPrefix("org_").verify(dataSource);

    assertThat(report.findings()).extracting(Finding::type).containsExactly(FindingType.NO_TENANT_TABLES);
    assertThat(report.isClean()).isFalse();
  }

  private void execute(String... sql) throws SQLException {
    try (Statement statement = keepAlive.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }
}
