package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.jdbc.PostgresSupport;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RowOwnershipCheck} over schema per tenant on PostgreSQL, where binding a connection to a schema that does not
 * exist succeeds (an empty {@code search_path}) instead of failing as on H2.
 */
class RowOwnershipCheckSchemaPostgresIT {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static PostgresSupport database;
  private static HikariDataSource pool;
  private static TenantAwareDataSource application;
  private static CreateSchemaStep schemas;

  @BeforeAll
  static void startDatabase() {
    database = PostgresSupport.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setDataSource(database.adminDataSource());
    config.setMaximumPoolSize(4);
    config.setPoolName("ownership-schema-it");
    pool = new HikariDataSource(config);
    application = TenantAwareDataSource.of(SchemaPerTenant.builder(pool).schemaPrefix("own_").build());
    schemas = CreateSchemaStep.builder().dataSource(database.adminDataSource()).schemaPrefix("own_")
        .locations("classpath:dev/tenancy/jdbc/provisioning/tenant").build();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (pool != null) {
      pool.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  @Test
  void schemaPresentAtItsVersion_isUp_missing_isDown_purged_isUp() throws Exception {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE);
    schemas.provision(acme);
    RowOwnershipCheck check = RowOwnershipCheck.schemaPerTenant(application).expectedVersion("2").build();

    CheckResult present = check.check(acme);
    CheckResult missing = check.check(tenant("lost", TenantStatus.SUSPENDED));
    CheckResult purged = check.check(tenant("gone", TenantStatus.DELETED));

    assertThat(present.status()).as(present.detail()).isEqualTo(HealthStatus.UP);
    assertThat(present.facts()).containsEntry("version", "2").containsEntry("schema", "own_acme");
    assertThat(missing.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(missing.detail()).contains("own_lost does not exist");
    assertThat(purged.status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void platformForm_schemaOfNoKnownTenant_isDown() throws Exception {
    Tenant known = tenant("known", TenantStatus.ACTIVE);
    schemas.provision(known);
    schemas.provision(tenant("orphan", TenantStatus.ACTIVE));

    CheckResult result = RowOwnershipCheck.schemaPerTenant(application).build()
        .checkPlatform(List.of(known, tenant("acme", TenantStatus.ACTIVE))).orElseThrow();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("own_orphan").doesNotContain("own_known");
  }
}
