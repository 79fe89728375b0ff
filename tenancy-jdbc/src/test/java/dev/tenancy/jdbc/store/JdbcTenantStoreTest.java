package dev.tenancy.jdbc.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link JdbcTenantStore} adds beyond the compatibility kit, on H2: migrations, options, encoding, search. */
class JdbcTenantStoreTest {

  private final JdbcDataSource database = JdbcTenantStoreH2Test.freshH2();

  @AfterEach
  void dropDatabase() throws SQLException {
    JdbcTenantStoreH2Test.shutdown(database);
  }

  @Test
  void build_twiceOnOneDatabase_appliesEachMigrationOnceInItsOwnHistoryTable() throws SQLException {
    JdbcTenantStore first = JdbcTenantStore.builder().dataSource(database).build();
    Tenant tenant = first.insert(JdbcTenantStoreCacheTest.tenant("acme"));

    JdbcTenantStore second = JdbcTenantStore.builder().dataSource(database).build();

    assertThat(second.findById(tenant.id())).contains(tenant);
    assertThat(count("SELECT COUNT(*) FROM \"tenancy\".\"tenancy_schema_history\" WHERE \"version\" = '1'"))
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'flyway_schema_history'"))
        .as("the application's own Flyway history table is left alone").isZero();
  }

  @Test
  void build_customSchema_keepsTheTablesThere() throws SQLException {
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).schema("platform").build();

    store.insert(JdbcTenantStoreCacheTest.tenant("acme"));

    assertThat(count("SELECT COUNT(*) FROM \"platform\".tenants")).isEqualTo(1);
  }

  @Test
  void build_withoutMigration_failsOnFirstUseWithAnExplanation() {
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).migrate(false).build();

    assertThatThrownBy(() -> store.findById(TenantId.random()))
        .isInstanceOf(TenantStoreAccessException.class)
        .hasMessageContaining("migrations")
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void build_invalidOptions_throwWithTheRule() {
    assertThatThrownBy(() -> JdbcTenantStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource(");
    assertThatThrownBy(() -> JdbcTenantStore.builder().dataSource(database).schema("Tenancy\"; DROP").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    assertThatThrownBy(() -> JdbcTenantStore.builder().dataSource(database).cacheTtl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheTtl");
    assertThatThrownBy(() -> JdbcTenantStore.builder().dataSource(database).cacheMaximumSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheMaximumSize");
  }

  @Test
  void insert_configurationWithAwkwardText_roundTripsExactly() {
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).build();
    TenantConfiguration configuration = new TenantConfiguration("enterprise",
        Map.of("sso", true, "beta.reports", false),
        Map.of("concurrentUsers", 80L, "storageBytes", Long.MAX_VALUE),
        null,
        Map.of("greeting", "Grüezi \"Chef\"\n\ttab \\ back\\slash \u0001 ✓ 😀", "empty", ""));
    Instant now = Instant.parse("2026-03-01T10:15:30.123456789Z");
    Tenant tenant = new Tenant(TenantId.random(), TenantSlug.of("acme"), "Acme", TenantStatus.TRIAL, configuration,
        now, now, 3L, now.plusSeconds(60));

    Tenant stored = store.insert(tenant);

    assertThat(stored.configuration()).isEqualTo(configuration);
    assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
    assertThat(store.findById(tenant.id())).contains(stored);
    assertThat(store.list(TenantQuery.all()).items()).containsExactly(stored);
  }

  @Test
  void update_changedSlug_throwsConflictAndKeepsTheStoredTenant() {
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).build();
    Tenant tenant = store.insert(JdbcTenantStoreCacheTest.tenant("acme"));
    Tenant renamed = new Tenant(tenant.id(), TenantSlug.of("acme-two"), tenant.displayName(), tenant.status(),
        tenant.configuration(), tenant.createdAt(), tenant.updatedAt(), tenant.version(), null);

    assertThatThrownBy(() -> store.update(renamed))
        .isInstanceOf(TenantConflictException.class).hasMessageContaining("keeps its slug");

    assertThat(store.findById(tenant.id())).contains(tenant);
  }

  @Test
  void list_textWithLikeWildcards_matchesThemLiterally() {
    JdbcTenantStore store = JdbcTenantStore.builder().dataSource(database).build();
    store.insert(new Tenant(TenantId.random(), TenantSlug.of("acme"), "100% Real_Estate", TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("pro"), Instant.now(), Instant.now(), 0L, null));
    store.insert(new Tenant(TenantId.random(), TenantSlug.of("globex"), "1000 Real Estate", TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("pro"), Instant.now(), Instant.now(), 0L, null));

    assertThat(store.list(new TenantQuery(null, null, "100%", 0, 10)).items())
        .extracting(t -> t.slug().value()).containsExactly("acme");
    assertThat(store.list(new TenantQuery(null, null, "real_", 0, 10)).items())
        .extracting(t -> t.slug().value()).containsExactly("acme");
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
