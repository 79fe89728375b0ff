package dev.tenancy.jdbc.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.jdbc.PostgresSupport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link JdbcTenantStore}s on one PostgreSQL database, each with its own pool — two app instances. Their caches
 * live an hour, so only a change notification can explain instance B seeing a change made through instance A within
 * a second.
 */
class JdbcTenantStoreNotificationIT {

  private static final Duration ONE_HOUR = Duration.ofHours(1);

  private static PostgresSupport postgres;
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private JdbcTenantStore instanceA;
  private JdbcTenantStore instanceB;

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresSupport.createDatabase();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** Tests share the database but use distinct slugs; each gets two fresh instances. */
  @BeforeEach
  void startTwoInstances() {
    poolA = JdbcTenantStorePostgresIT.pool(postgres, 3);
    poolB = JdbcTenantStorePostgresIT.pool(postgres, 3);
    instanceA = JdbcTenantStore.builder().dataSource(poolA).cacheTtl(ONE_HOUR).build();
    instanceB = JdbcTenantStore.builder().dataSource(poolB).cacheTtl(ONE_HOUR).build();
    awaitListening(instanceA);
    awaitListening(instanceB);
  }

  @AfterEach
  void stopInstances() {
    instanceA.close();
    instanceB.close();
    poolA.close();
    poolB.close();
  }

  @Test
  void suspend_throughInstanceA_isSeenByInstanceBWithinOneSecond() {
    Tenant tenant = insertThroughA(activeTenant("acme"));
    warm(instanceB, tenant);
    renameBehindTheStores(tenant, "Renamed by hand");
    assertThat(instanceB.findById(tenant.id()).orElseThrow().displayName())
        .as("instance B answers from its cache").isEqualTo(tenant.displayName());

    instanceA.update(tenant.withStatus(TenantStatus.SUSPENDED, tenant.updatedAt().plusSeconds(1)));

    await().atMost(1, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(instanceB.findById(tenant.id()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
      assertThat(instanceB.findBySlug(tenant.slug()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
    });
  }

  @Test
  void insert_afterInstanceBCachedTheSlugAsUnknown_isSeenByInstanceBWithinOneSecond() {
    TenantSlug slug = TenantSlug.of("globex");
    assertThat(instanceB.findBySlug(slug)).isEmpty();

    Tenant tenant = instanceA.insert(activeTenant("globex"));

    await().atMost(1, TimeUnit.SECONDS).untilAsserted(() -> assertThat(instanceB.findBySlug(slug)).contains(tenant));
  }

  @Test
  void remove_throughInstanceA_isSeenByInstanceBWithinOneSecond() {
    Tenant tenant = insertThroughA(activeTenant("initech"));
    warm(instanceB, tenant);

    instanceA.remove(tenant.id());

    await().atMost(1, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(instanceB.findById(tenant.id())).isEmpty();
      assertThat(instanceB.findBySlug(tenant.slug())).isEmpty();
    });
  }

  /**
   * PostgreSQL drops notifications sent while nobody listens: after the listener's connection was killed, instance B
   * must reconnect, forget what it cached (it may have missed changes), and hear later changes again.
   */
  @Test
  void listenerConnectionTerminated_reconnectsForgetsItsCacheAndStillSeesLaterChanges() {
    Tenant tenant = insertThroughA(activeTenant("umbrella"));
    warm(instanceB, tenant);
    renameBehindTheStores(tenant, "Renamed while nobody was told");
    PostgresChangeListener listener = instanceB.changeListener().orElseThrow();
    int killedPid = listener.backendPid();

    postgres.execute("SELECT pg_terminate_backend(" + killedPid + ")");

    await().atMost(10, TimeUnit.SECONDS)
        .until(() -> listener.listening() && listener.backendPid() != killedPid);
    assertThat(instanceB.findById(tenant.id()).orElseThrow().displayName())
        .isEqualTo("Renamed while nobody was told");
    Tenant current = instanceA.findById(tenant.id()).orElseThrow();
    instanceA.update(current.withStatus(TenantStatus.SUSPENDED, current.updatedAt().plusSeconds(1)));
    await().atMost(1, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(instanceB.findBySlug(tenant.slug()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED));
  }

  @Test
  void close_stopsTheListenerAndReturnsItsConnectionUnsubscribed() throws SQLException {
    PostgresChangeListener listener = instanceB.changeListener().orElseThrow();
    assertThat(poolB.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);

    instanceB.close();

    assertThat(listener.listening()).isFalse();
    assertThat(poolB.getHikariPoolMXBean().getActiveConnections()).isZero();
    // Borrow every pooled connection at once, so the listener's former one is among them.
    List<Connection> borrowed = new ArrayList<>();
    try {
      for (int i = 0; i < poolB.getMaximumPoolSize(); i++) {
        borrowed.add(poolB.getConnection());
      }
      for (Connection connection : borrowed) {
        try (Statement statement = connection.createStatement();
            ResultSet channels = statement.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
          channels.next();
          assertThat(channels.getInt(1)).isZero();
        }
      }
    } finally {
      for (Connection connection : borrowed) {
        connection.close();
      }
    }
  }

  // ---------------------------------------------------------------- support

  private static Tenant activeTenant(String slug) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug, TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("pro"), now, now, 0L, null);
  }

  /**
   * Inserts through instance A and waits until B has heard of it, so that the announcement of the insert cannot
   * arrive after the test warmed B's cache and evict it.
   */
  private Tenant insertThroughA(Tenant tenant) {
    PostgresChangeListener listener = instanceB.changeListener().orElseThrow();
    long before = listener.notificationsReceived();
    Tenant stored = instanceA.insert(tenant);
    await().atMost(1, TimeUnit.SECONDS).until(() -> listener.notificationsReceived() > before);
    return stored;
  }

  private static void awaitListening(JdbcTenantStore store) {
    PostgresChangeListener listener = store.changeListener().orElseThrow();
    await().atMost(10, TimeUnit.SECONDS).until(listener::listening);
  }

  private static void warm(JdbcTenantStore store, Tenant tenant) {
    assertThat(store.findById(tenant.id())).contains(tenant);
    assertThat(store.findBySlug(tenant.slug())).contains(tenant);
  }

  /** A change no store announces: only a cache miss can reveal it. */
  private void renameBehindTheStores(Tenant tenant, String name) {
    postgres.execute("UPDATE tenancy.tenants SET display_name = '" + name + "' WHERE id = '" + tenant.id() + "'");
  }
}
