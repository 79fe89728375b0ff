package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DatabaseReachabilityCheck} over schema per tenant on H2: reachable, missing schema, starved pool. */
class DatabaseReachabilityCheckH2Test {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final String url = "jdbc:h2:mem:reach_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  private final HikariDataSource pool = pool();
  private final TenantAwareDataSource application =
      TenantAwareDataSource.of(SchemaPerTenant.builder(pool).platformSchema("PUBLIC").build());
  private final DatabaseReachabilityCheck check = DatabaseReachabilityCheck.builder(application).pool(pool).build();

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(2_000);
    return new HikariDataSource(config);
  }

  @AfterEach
  void shutDown() throws Exception {
    pool.close();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  private Tenant tenant(String slug, TenantStatus status, boolean withSchema) throws Exception {
    if (withSchema) {
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA \"tenant_" + slug + "\"");
      }
    }
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  private CheckResult checkInScope(Tenant tenant) {
    try (TenantScope scope = TenantContext.enter(TenantInfo.of(tenant.id(), tenant.slug()))) {
      return check.check(tenant);
    }
  }

  @Test
  void tenantWhoseSchemaExists_isUp_withItsLatency() throws Exception {
    CheckResult result = checkInScope(tenant("acme", TenantStatus.ACTIVE, true));

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.facts()).containsKey("latencyMs");
  }

  @Test
  void tenantWhoseSchemaIsGone_isDown_withoutTheDriverMessage() throws Exception {
    CheckResult result = checkInScope(tenant("globex", TenantStatus.ACTIVE, false));

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("cannot reach").contains("SQLState")
        .doesNotContainIgnoringCase("tenant_globex").doesNotContain(url);
  }

  @Test
  void deletedOrProvisioningTenant_isUpWithoutAConnection() throws Exception {
    assertThat(checkInScope(tenant("gone", TenantStatus.DELETED, false)).status()).isEqualTo(HealthStatus.UP);
    assertThat(checkInScope(tenant("early", TenantStatus.PROVISIONING, false)).status()).isEqualTo(HealthStatus.UP);
    assertThat(application.statistics().checkouts()).isZero();
  }

  @Test
  void platformForm_reportsThePool_andDegradesWhileAThreadWaitsForAConnection() throws Exception {
    Tenant acme = tenant("acme", TenantStatus.ACTIVE, true);
    CheckResult idle = check.checkPlatform(List.of(acme)).orElseThrow();
    assertThat(idle.status()).isEqualTo(HealthStatus.UP);
    assertThat(idle.facts()).containsEntry("waiting", 0).containsEntry("maximum", 1);

    CompletableFuture<Void> waiter;
    try (Connection held = pool.getConnection()) {
      waiter = CompletableFuture.runAsync(() -> {
        try (Connection second = pool.getConnection()) {
          // Gets the connection once the holder gives it back.
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(2)).until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);

      CheckResult starved = check.checkPlatform(List.of(acme)).orElseThrow();
      assertThat(starved.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(starved.detail()).contains("1 thread(s) waiting");
      assertThat(starved.facts()).containsEntry("active", 1).containsEntry("waiting", 1);
    }
    waiter.get(2, TimeUnit.SECONDS);
  }

  @Test
  void withoutAPool_thereIsNoPlatformForm_andBadSettingsAreRefused() {
    assertThat(DatabaseReachabilityCheck.builder(application).build().checkPlatform(List.of())).isEmpty();
    assertThat(check.name()).isEqualTo("database");
    assertThatThrownBy(() -> DatabaseReachabilityCheck.builder(application).slowAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowAfter");
    assertThatThrownBy(() -> DatabaseReachabilityCheck.builder(application).validationTimeoutSeconds(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationTimeoutSeconds");
  }
}
