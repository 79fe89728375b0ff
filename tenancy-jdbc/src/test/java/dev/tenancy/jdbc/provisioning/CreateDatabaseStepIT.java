package dev.tenancy.jdbc.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.PostgresSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CreateDatabaseStep} on a real PostgreSQL. Database names carry a random prefix, so concurrent builds on one
 * server never meet; every database a test provisions is dropped after it.
 */
class CreateDatabaseStepIT {

  private static PostgresSupport postgres;

  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private final List<Tenant> provisioned = new ArrayList<>();

  @BeforeAll
  static void createAdminDatabase() {
    postgres = PostgresSupport.createDatabase();
  }

  @AfterAll
  static void dropAdminDatabase() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @AfterEach
  void dropTenantDatabases() throws SQLException {
    CreateDatabaseStep step = step(CreateSchemaStepContract.TENANT_MIGRATIONS);
    for (Tenant tenant : provisioned) {
      step.deprovision(tenant);
    }
  }

  private CreateDatabaseStep step(String locations) {
    return CreateDatabaseStep.builder()
        .adminDataSource(postgres.adminDataSource())
        .urlTemplate(urlTemplate())
        .credentials(PostgresSupport.ADMIN_USER, null)
        .databasePrefix(prefix)
        .locations(locations)
        .build();
  }

  private static String urlTemplate() {
    String url = PostgresSupport.URL;
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + CreateDatabaseStep.DATABASE_PLACEHOLDER
        + (query < 0 ? "" : url.substring(query));
  }

  private Tenant tenant(String slug) {
    Tenant tenant = CreateSchemaStepContract.tenant(slug);
    provisioned.add(tenant);
    return tenant;
  }

  @Test
  void provision_newTenant_createsItsDatabaseWithTheMigratedTables() throws Exception {
    CreateDatabaseStep step = step(CreateSchemaStepContract.TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme-realty");

    step.provision(tenant);

    assertThat(step.databaseName(tenant.slug())).isEqualTo(prefix + "acme_realty");
    assertThat(databaseExists(prefix + "acme_realty")).isTrue();
    try (Connection connection = connect(step, tenant); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT body FROM notes")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("Welcome, acme-realty");
    }
  }

  @Test
  void provision_twice_keepsTheDataAndAppliesNothingAgain() throws Exception {
    CreateDatabaseStep step = step(CreateSchemaStepContract.TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme");
    step.provision(tenant);
    try (Connection connection = connect(step, tenant); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO notes (id, body) VALUES ('" + TenantId.random() + "', 'mine')");
    }

    step.provision(tenant);

    try (Connection connection = connect(step, tenant); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM notes")) {
      result.next();
      assertThat(result.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void deprovision_whileTheTenantIsStillConnected_dropsTheDatabaseAndIsIdempotent() throws Exception {
    CreateDatabaseStep step = step(CreateSchemaStepContract.TENANT_MIGRATIONS);
    Tenant tenant = tenant("acme");
    step.provision(tenant);

    try (Connection stillOpen = connect(step, tenant)) {
      step.deprovision(tenant);
      step.deprovision(tenant);

      assertThat(databaseExists(step.databaseName(tenant.slug()))).isFalse();
      assertThat(stillOpen.isValid(2)).isFalse();
    }
  }

  @Test
  void provision_failingMigration_throwsAndDeprovisionCleansUp() throws Exception {
    CreateDatabaseStep broken = step(CreateSchemaStepContract.BROKEN_MIGRATIONS);
    Tenant tenant = tenant("acme");

    assertThatThrownBy(() -> broken.provision(tenant)).isInstanceOf(FlywayException.class);
    broken.deprovision(tenant);

    assertThat(databaseExists(broken.databaseName(tenant.slug()))).isFalse();
  }

  @Test
  void build_templateWithoutPlaceholder_isRefused() {
    assertThatThrownBy(() -> CreateDatabaseStep.builder().adminDataSource(postgres.adminDataSource())
        .urlTemplate("jdbc:postgresql://db:5432/tenants").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{database}");
  }

  private static Connection connect(CreateDatabaseStep step, Tenant tenant) throws SQLException {
    return DriverManager.getConnection(step.url(tenant.slug()), PostgresSupport.ADMIN_USER, null);
  }

  private static boolean databaseExists(String name) throws SQLException {
    try (Connection connection = postgres.adminDataSource().getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getInt(1) > 0;
      }
    }
  }
}
