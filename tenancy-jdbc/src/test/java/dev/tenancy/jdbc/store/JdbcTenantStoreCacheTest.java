package dev.tenancy.jdbc.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read cache on H2, where the TTL is the only way a change made by another process becomes visible; the clock is
 * a manual ticker so expiry is exact.
 */
class JdbcTenantStoreCacheTest {

  private static final Duration TTL = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final JdbcDataSource database = JdbcTenantStoreH2Test.freshH2();

  @AfterEach
  void dropDatabase() throws SQLException {
    JdbcTenantStoreH2Test.shutdown(database);
  }

  @Test
  void findById_tenantChangedByAnotherProcess_servedFromCacheUntilTheTtlExpires() throws SQLException {
    JdbcTenantStore store = store(TTL);
    Tenant tenant = store.insert(tenant("acme"));
    assertThat(store.findById(tenant.id())).contains(tenant);
    assertThat(store.findBySlug(tenant.slug())).contains(tenant);

    changeBehindTheStore("UPDATE \"tenancy\".tenants SET status = 'SUSPENDED'");
    advance(TTL.minusMillis(1));
    assertThat(store.findById(tenant.id()).orElseThrow().status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(store.findBySlug(tenant.slug()).orElseThrow().status()).isEqualTo(TenantStatus.ACTIVE);

    advance(Duration.ofMillis(1));
    assertThat(store.findById(tenant.id()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(store.findBySlug(tenant.slug()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void findBySlug_unknownSlug_isCachedAsUnknownUntilTheTtlExpires() throws SQLException {
    JdbcTenantStore store = store(TTL);
    JdbcTenantStore otherProcess = store(TTL);
    assertThat(store.findBySlug(TenantSlug.of("acme"))).isEmpty();

    Tenant tenant = otherProcess.insert(tenant("acme"));
    assertThat(store.findBySlug(TenantSlug.of("acme"))).isEmpty();

    advance(TTL);
    assertThat(store.findBySlug(TenantSlug.of("acme"))).contains(tenant);
  }

  @Test
  void update_throughTheSameStore_isVisibleAtOnceUnderBothKeys() {
    JdbcTenantStore store = store(Duration.ofHours(1));
    Tenant tenant = store.insert(tenant("acme"));
    store.findById(tenant.id());
    store.findBySlug(tenant.slug());

    Tenant suspended = store.update(tenant.withStatus(TenantStatus.SUSPENDED, tenant.updatedAt()));

    assertThat(store.findById(tenant.id())).contains(suspended);
    assertThat(store.findBySlug(tenant.slug())).contains(suspended);
  }

  @Test
  void remove_throughTheSameStore_isVisibleAtOnceUnderBothKeys() {
    JdbcTenantStore store = store(Duration.ofHours(1));
    Tenant tenant = store.insert(tenant("acme"));
    store.findById(tenant.id());
    store.findBySlug(tenant.slug());

    store.remove(tenant.id());

    assertThat(store.findById(tenant.id())).isEmpty();
    assertThat(store.findBySlug(tenant.slug())).isEmpty();
  }

  @Test
  void cacheTtl_zero_readsTheDatabaseEveryTime() throws SQLException {
    JdbcTenantStore store = store(Duration.ZERO);
    Tenant tenant = store.insert(tenant("acme"));
    store.findById(tenant.id());

    changeBehindTheStore("UPDATE \"tenancy\".tenants SET status = 'SUSPENDED'");

    assertThat(store.findById(tenant.id()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void findById_afterTheStoreIsClosed_stillAnswersFromTheDatabase() throws SQLException {
    JdbcTenantStore store = store(Duration.ofHours(1));
    Tenant tenant = store.insert(tenant("acme"));
    store.close();
    store.close();

    assertThat(store.findById(tenant.id())).contains(tenant);
  }

  // ---------------------------------------------------------------- support

  private JdbcTenantStore store(Duration ttl) {
    return JdbcTenantStore.builder().dataSource(database).cacheTtl(ttl).ticker(ticker).build();
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  private void changeBehindTheStore(String sql) throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  static Tenant tenant(String slug) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug, TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("pro"), now, now, 0L, null);
  }
}
