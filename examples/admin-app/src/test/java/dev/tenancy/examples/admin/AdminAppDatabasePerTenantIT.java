package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The seed's scenarios on PostgreSQL with a database per tenant: Tenancy's own tables in a fresh platform database,
 * each agency's leads in a database of its own, created at provisioning and dropped at purge. Tenant databases carry
 * a prefix unique to this run, so nothing left on the server by another run is touched, and all are dropped at the end.
 */
class AdminAppDatabasePerTenantIT extends AppScenarios {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix = randomPrefix();
  private PostgresDatabase database;

  @Override
  AppConfig config() {
    database = PostgresDatabase.create();
    return AppConfig.from(Map.of("TENANCY_JWT_SECRET", SECRET, "TENANCY_JWT_ISSUER", ISSUER,
            "TENANCY_DB_URL", database.url(), "TENANCY_DB_USER", PostgresDatabase.ADMIN_USER,
            "TENANCY_ISOLATION", "database"),
        "--port=0", "--db-prefix=" + prefix);
  }

  @Override
  void cleanUp() throws Exception {
    if (database == null) {
      return;
    }
    try (Connection admin = PostgresDatabase.admin(); Statement statement = admin.createStatement()) {
      for (String name : tenantDatabases()) {
        statement.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(name) + " WITH (FORCE)");
      }
    }
    assertThat(tenantDatabases()).as("every tenant database of this run is dropped").isEmpty();
    database.close();
  }

  @Override
  long leadRows(Agency agency) throws Exception {
    String name = databaseOf(agency);
    if (!tenantDatabases().contains(name)) {
      return 0;
    }
    try (Connection connection = DriverManager.getConnection(PostgresDatabase.url(name), adminUser());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM leads")) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void eachAgency_getsItsOwnDatabase_andThePlatformDatabaseHoldsNoLead() throws Exception {
    Agency a = agency("own-db", "");
    String agent = a.user("agent", "agent");
    send("POST", "/api/v1/leads", agent, "{\"name\":\"Mine\",\"email\":\"mine@example.com\"}");

    assertThat(tenantDatabases()).contains(databaseOf(a));
    assertThat(leadRows(a)).isEqualTo(1);
    try (Connection platform = app.platformDataSource().getConnection();
        Statement statement = platform.createStatement();
        ResultSet tables = statement.executeQuery(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('leads', 'app_users')")) {
      tables.next();
      assertThat(tables.getLong(1)).as("tenant tables live only in the tenants' databases").isZero();
    }
  }

  @Test
  void purge_dropsTheAgencysDatabase_andLeavesTheOthers() throws Exception {
    Agency gone = agency("drop-db", "");
    Agency stays = agency("keep-db", "");
    String agentGone = gone.user("agent", "agent");
    String agentStays = stays.user("agent", "agent");
    // Both pools are open, so purge must evict a pool that holds connections to the database it drops.
    send("POST", "/api/v1/leads", agentGone, "{\"name\":\"Erase me\",\"email\":\"erase@example.com\"}");
    send("POST", "/api/v1/leads", agentStays, "{\"name\":\"Keep me\",\"email\":\"keep@example.com\"}");
    assertThat(tenantDatabases()).contains(databaseOf(gone), databaseOf(stays));

    assertThat(admin("DELETE", "/tenants/" + gone.id + "?purge=true", null).statusCode()).isEqualTo(202);

    assertThat(tenantDatabases()).doesNotContain(databaseOf(gone)).contains(databaseOf(stays));
    assertThat(send("GET", "/api/v1/leads", agentStays, null).body()).contains("Keep me");
  }

  @Test
  void onH2_databaseIsolationIsRefused_withWhatToSet() {
    AppConfig h2 = AppConfig.from(Map.of("TENANCY_ISOLATION", "database"), "--port=0", "--db-url=h2:mem");
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AdminApp.start(h2, out)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TENANCY_ISOLATION=database needs PostgreSQL").hasMessageContaining("TENANCY_DB_URL");
  }

  private String databaseOf(Agency agency) {
    return SqlIdentifiers.tenantSchema(prefix, TenantSlug.of(agency.slug));
  }

  /** @return the databases on the server whose name starts with this run's prefix */
  private List<String> tenantDatabases() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection admin = PostgresDatabase.admin();
        PreparedStatement query = admin.prepareStatement(
            "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
      query.setString(1, prefix);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    return names;
  }

  private static Properties adminUser() {
    Properties properties = new Properties();
    properties.setProperty("user", PostgresDatabase.ADMIN_USER);
    return properties;
  }

  /** {@code t}, eight random lower-case letters and {@code _}: never a prefix another run uses. */
  private static String randomPrefix() {
    StringBuilder prefix = new StringBuilder("t");
    for (int i = 0; i < 8; i++) {
      prefix.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return prefix.append('_').toString();
  }
}
