package dev.tenancy.jdbc.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.InvalidApiKeyException;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.test.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcApiKeyStore} must guarantee behind {@link ApiKeyService} on every database it supports: the table
 * (and the whole database dump, where the database offers one) never holds a secret, and a change made by one
 * application instance binds every other at once. Run on H2 and PostgreSQL.
 */
abstract class ApiKeyTableContract {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
  private final Map<TenantId, TenantInfo> tenants = new ConcurrentHashMap<>();
  private final TenantInfo acme = tenant("acme");
  private final TenantPrincipal ops = new TenantPrincipal(null, "ops", Set.of(TenantPrincipal.PLATFORM_ADMIN),
      PrincipalKind.PLATFORM, null, null, null);
  private DataSource dataSource;
  private String schema;

  /** @return a DataSource on a database this test may create schemas in */
  protected abstract DataSource dataSource();

  /**
   * Everything the database holds as text, if it can dump itself; the table's rows otherwise.
   *
   * @param connection a connection
   * @param schema the store's schema
   * @return the dump
   */
  protected abstract String dump(Connection connection, String schema) throws SQLException;

  @BeforeEach
  void pickSchema() {
    dataSource = dataSource();
    schema = "keys_" + SCHEMAS.incrementAndGet();
  }

  private TenantInfo tenant(String slug) {
    TenantInfo info = new TenantInfo(TenantId.random(), TenantSlug.of(slug), TenantStatus.ACTIVE,
        EffectiveConfiguration.none());
    tenants.put(info.id(), info);
    return info;
  }

  /** One application instance: its own store object and service over the shared database. */
  private ApiKeyService instance() {
    return ApiKeyService.builder()
        .store(JdbcApiKeyStore.builder().dataSource(dataSource).schema(schema).build())
        .tenants(id -> Optional.ofNullable(tenants.get(id)))
        .clock(clock)
        .build();
  }

  private static void assertRejected(ThrowingCallable call, InvalidApiKeyException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidApiKeyException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static List<String> needles(String key) {
    String secret = key.substring(key.length() - 43);
    byte[] raw = Base64.getUrlDecoder().decode(secret);
    return List.of(key, secret, Base64.getEncoder().encodeToString(raw), HexFormat.of().formatHex(raw),
        Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII)),
        HexFormat.of().formatHex(key.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Every cell of the table, as text and as bytes. */
  private List<Object> cells() throws SQLException {
    List<Object> cells = new ArrayList<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM \"" + schema + "\".api_keys")) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        for (int c = 1; c <= columns; c++) {
          cells.add(String.valueOf(rows.getString(c)));
          Object value = rows.getObject(c);
          if (value instanceof byte[] bytes) {
            cells.add(bytes);
          }
        }
      }
    }
    return cells;
  }

  @Test
  void table_holdsOnlyTheSha256_theSecretAppearsNowhereInTheDatabase() throws Exception {
    ApiKeyService keys = instance();
    IssuedApiKey tenantKey = keys.create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent")));
    IssuedApiKey platformKey = keys.createPlatformKey("root", "bootstrap", null);

    List<Object> cells = cells();
    String dump;
    try (Connection connection = dataSource.getConnection()) {
      dump = dump(connection, schema);
    }

    assertThat(cells).isNotEmpty();
    for (IssuedApiKey issued : List.of(tenantKey, platformKey)) {
      byte[] raw = Base64.getUrlDecoder().decode(issued.secret().substring(issued.secret().length() - 43));
      for (String needle : needles(issued.secret())) {
        assertThat(dump).doesNotContain(needle);
        assertThat(cells).noneSatisfy(cell -> assertThat(String.valueOf(cell)).contains(needle));
      }
      assertThat(cells).filteredOn(byte[].class::isInstance).noneSatisfy(cell ->
          assertThat(HexFormat.of().formatHex((byte[]) cell)).contains(HexFormat.of().formatHex(raw)));
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(issued.secret().getBytes(StandardCharsets.US_ASCII));
      assertThat(cells).filteredOn(byte[].class::isInstance).anySatisfy(cell -> assertThat(cell).isEqualTo(hash));
    }
    // The dump does show what it holds: the id and the subject are there, so the check above can fail.
    assertThat(dump).contains(tenantKey.id()).contains("ci-bot");
  }

  @Test
  void hashColumn_refusesAnythingButThirtyTwoBytes() throws Exception {
    instance();
    try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO \"" + schema + "\".api_keys (id, tenant_id, subject, name, roles, secret_hash, created_at)"
            + " VALUES ('abcd1234', NULL, 'root', 'oops', 'platform_admin', ?, CURRENT_TIMESTAMP)")) {
      insert.setBytes(1, ("tny_abcd1234_" + "A".repeat(43)).getBytes(StandardCharsets.US_ASCII));

      assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void revokedOnOneInstance_refusedOnAnotherAtOnce() {
    ApiKeyService first = instance();
    ApiKeyService second = instance();
    IssuedApiKey issued = first.create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent")));
    assertThat(second.authenticate(issued.secret()).tenant()).isEqualTo(acme.id());

    first.revoke(ops, issued.id());

    assertRejected(() -> second.authenticate(issued.secret()), InvalidApiKeyException.Reason.REVOKED);
  }

  @Test
  void wrongSecretUnderAValidId_refused() {
    ApiKeyService keys = instance();
    IssuedApiKey issued = keys.create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent")));
    String key = issued.secret();
    String wrong = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

    assertRejected(() -> keys.authenticate(wrong), InvalidApiKeyException.Reason.WRONG_SECRET);
  }

  @Test
  void rotationGrace_seenByEveryInstance_thenTheOldKeyExpires() {
    ApiKeyService first = instance();
    ApiKeyService second = instance();
    IssuedApiKey old = first.create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent"))
        .expiringAt(clock.instant().plus(Duration.ofDays(30))));

    IssuedApiKey fresh = first.rotate(ops, old.id(), clock.instant().plus(Duration.ofHours(1)));

    assertThat(second.authenticate(old.secret()).subject()).isEqualTo("ci-bot");
    assertThat(second.authenticate(fresh.secret()).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    clock.advance(Duration.ofHours(1));
    assertRejected(() -> second.authenticate(old.secret()), InvalidApiKeyException.Reason.EXPIRED);
    assertThat(second.authenticate(fresh.secret()).subject()).isEqualTo("ci-bot");
  }

  @Test
  void suspendedTenant_refused() {
    ApiKeyService keys = instance();
    IssuedApiKey issued = keys.create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent")));

    tenants.put(acme.id(), new TenantInfo(acme.id(), acme.slug(), TenantStatus.SUSPENDED, acme.configuration()));

    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.TENANT_NOT_SERVING);
  }

  @Test
  void keysSurviveARestart() {
    IssuedApiKey issued = instance().create(ops, NewApiKey.of(acme.id(), "ci-bot", Set.of("agent", "viewer")));

    TenantPrincipal principal = instance().authenticate(issued.secret());

    assertThat(principal.roles()).containsExactlyInAnyOrder("agent", "viewer");
    assertThat(principal.kind()).isEqualTo(PrincipalKind.SERVICE);
  }
}
