package dev.tenancy.crypto.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.FileAuditCheckpointStore;
import dev.tenancy.core.health.AuditChainCheck;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.core.health.PlatformVerification;
import dev.tenancy.core.health.TenantHealth;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.crypto.DataKeyCheck;
import dev.tenancy.crypto.EnvironmentKekProvider;
import dev.tenancy.crypto.TenantKeys;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.audit.JdbcAuditSink;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import dev.tenancy.jdbc.verify.RowOwnershipCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform restore, end to end, on the real PostgreSQL: a small platform (tenants in {@link JdbcTenantStore}, a
 * tenant table under row-level security, the {@link JdbcAuditSink} with its checkpoints in a file outside the database,
 * wrapped data keys in {@link JdbcTenantKeyStore} under a KEK from the environment) is copied to a second database as a
 * restore would ({@code pg_dump} + {@code pg_restore} when they are installed, else
 * {@code CREATE DATABASE … TEMPLATE}).
 * The verification over the copy is all {@code UP}; then the copy is damaged the ways a restore goes wrong, and the
 * report must name each tenant and check.
 */
class PlatformRestoreIT {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformRestoreIT.class);
  private static final AuditKey AUDIT_KEY = AuditKey.of("platform-restore-it-audit-key-0123456789".getBytes(
      StandardCharsets.UTF_8));
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir
  static Path anchors;

  private static CryptoPostgres original;
  private static String restoredName;
  private static String appRole;
  private static FileAuditCheckpointStore checkpoints;
  private static EnvironmentKekProvider kek;
  private static HikariDataSource restoredAppPool;
  private static Tenant acme;
  private static Tenant globex;
  private static Tenant initech;
  private static Tenant umbrella;

  @BeforeAll
  static void buildPlatformAndRestoreIt() throws Exception {
    original = CryptoPostgres.createDatabase();
    appRole = "dr_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    execute(original.adminDataSource(), "CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS",
        "GRANT USAGE ON SCHEMA public TO " + appRole,
        "CREATE TABLE leads (organization_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(),"
            + " name text NOT NULL, PRIMARY KEY (organization_id, id))");
    try (Connection owner = original.adminDataSource().getConnection()) {
      RlsPolicies.builder().tables("leads").applicationRole(appRole).build().apply(owner);
    }
    checkpoints = FileAuditCheckpointStore.builder().file(anchors.resolve("audit-checkpoints.jsonl")).build();
    byte[] kekBytes = new byte[32];
    new java.security.SecureRandom().nextBytes(kekBytes);
    kek = EnvironmentKekProvider.builder(Map.of("TENANCY_KEK", Base64.getEncoder().encodeToString(kekBytes)))
        .current("kek-2026", "TENANCY_KEK").build();

    acme = tenant("acme", TenantStatus.ACTIVE);
    globex = tenant("globex", TenantStatus.ACTIVE);
    initech = tenant("initech", TenantStatus.TRIAL);
    umbrella = tenant("umbrella", TenantStatus.DELETED);   // purged before the backup: no rows, keys or trail left
    PGSimpleDataSource admin = original.adminDataSource();
    try (JdbcTenantStore tenants = tenantStore(admin)) {
      List.of(acme, globex, initech, umbrella).forEach(tenants::insert);
    }
    TenantKeys keys = TenantKeys.builder(kek, JdbcTenantKeyStore.builder().dataSource(admin).build()).build();
    for (Tenant live : List.of(acme, globex, initech)) {
      keys.create(live.id());
      execute(admin, "INSERT INTO leads (organization_id, name) VALUES ('" + live.id() + "', 'first'), ('"
          + live.id() + "', 'second')");
    }
    // As in production: the audit sink connects as the application role, which may only insert and read.
    JdbcAuditSink.builder().dataSource(appOn(admin)).migrationDataSource(admin).build();
    record(appOn(admin), Map.of(acme, 5, globex, 4, initech, 3));

    restoredName = original.adminDataSource().getDatabaseName() + "_restored";
    copyDatabase(original.adminDataSource().getDatabaseName(), restoredName);

    HikariConfig config = new HikariConfig();
    config.setDataSource(restored(appRole));
    config.setMaximumPoolSize(10);
    config.setPoolName("restored-app");
    restoredAppPool = new HikariDataSource(config);
  }

  @AfterAll
  static void dropEverything() throws Exception {
    if (restoredAppPool != null) {
      restoredAppPool.close();
    }
    if (checkpoints != null) {
      checkpoints.close();
    }
    try (Connection admin = DriverManager.getConnection(CryptoPostgres.URL, adminProperties());
        Statement statement = admin.createStatement()) {
      if (restoredName != null) {
        statement.execute("DROP DATABASE IF EXISTS " + restoredName + " WITH (FORCE)");
      }
      if (original != null) {
        original.close();
      }
      if (appRole != null) {
        statement.execute("DROP ROLE IF EXISTS " + appRole);
      }
    }
  }

  @Test
  void restoredPlatform_verifiesUp_thenEachKindOfDamageIsNamedForItsTenantAndCheck() throws Exception {
    PlatformVerification clean = verification().verifyPlatform();
    LOG.info("verification of the intact copy:\n{}", clean);

    assertThat(clean.status()).as(clean.toString()).isEqualTo(HealthStatus.UP);
    assertThat(clean.tenants()).hasSize(4);
    assertThat(clean.platform().checks()).containsOnlyKeys("audit-chain", "row-ownership", "data-keys");
    assertThat(clean.tenant(acme.id()).orElseThrow().check("row-ownership").facts()).containsEntry("rows", 2L);
    assertThat(clean.tenant(acme.id()).orElseThrow().check("audit-chain").facts()).containsEntry("records", 5L);
    assertThat(clean.tenant(umbrella.id()).orElseThrow().check("data-keys").detail())
        .contains("crypto-shredded as intended");

    // The production database lives on after the backup was taken: acme records three more events, and the
    // checkpoint outside the database moves with them. The restored copy is now behind acme's checkpoint.
    record(appOn(original.adminDataSource()), Map.of(acme, 3));
    // Damage in the restored copy, each as someone with full access to the server (or a botched restore) would.
    PGSimpleDataSource restoredAdmin = restored(CryptoPostgres.ADMIN_USER);
    TenantId stranger = TenantId.random();
    execute(restoredAdmin, "INSERT INTO leads (organization_id, name) VALUES ('" + stranger + "', 'orphan')");
    execute(restoredAdmin, "SET session_replication_role = replica",
        "DELETE FROM tenancy_audit.audit_records WHERE chain = '" + globex.id() + "' AND sequence = 2");
    execute(restoredAdmin, "UPDATE tenancy_crypto.tenant_data_keys SET wrapped_key = set_byte(wrapped_key, 20,"
        + " get_byte(wrapped_key, 20) # 1) WHERE tenant_id = '" + initech.id() + "'");

    PlatformVerification damaged = verification().verifyPlatform();
    LOG.info("verification of the damaged copy:\n{}", damaged);

    assertThat(damaged.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(damaged.counts()).isEqualTo(Map.of(HealthStatus.DOWN, 2, HealthStatus.DEGRADED, 1,
        HealthStatus.UP, 1));
    assertThat(damaged.tenants()).extracting(TenantHealth::tenant)
        .containsExactly(globex.id(), initech.id(), acme.id(), umbrella.id());

    CheckResult orphans = damaged.platform().checks().get("row-ownership");
    assertThat(orphans.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(orphans.facts()).containsEntry("orphanRows", 1L).containsEntry("orphanTenantIds", stranger.toString());
    assertThat(damaged.platform().checks().get("audit-chain").status()).isEqualTo(HealthStatus.UP);
    assertThat(damaged.platform().checks().get("data-keys").status()).isEqualTo(HealthStatus.UP);

    TenantHealth behind = damaged.tenant(acme.id()).orElseThrow();
    assertThat(behind.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(behind.check("audit-chain").status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(behind.check("audit-chain").facts()).containsEntry("lostEventsAtLeast", 3L)
        .containsEntry("lastSequence", 5L).containsEntry("checkpointSequence", 8L);
    assertThat(behind.check("row-ownership").status()).isEqualTo(HealthStatus.UP);
    assertThat(behind.check("data-keys").status()).isEqualTo(HealthStatus.UP);

    TenantHealth tampered = damaged.tenant(globex.id()).orElseThrow();
    assertThat(tampered.check("audit-chain").status()).isEqualTo(HealthStatus.DOWN);
    assertThat(tampered.check("audit-chain").facts()).containsEntry("problem", "MISSING")
        .containsEntry("problemSequence", 2L);
    assertThat(tampered.check("data-keys").status()).isEqualTo(HealthStatus.UP);

    TenantHealth unreadable = damaged.tenant(initech.id()).orElseThrow();
    assertThat(unreadable.check("data-keys").status()).isEqualTo(HealthStatus.DOWN);
    assertThat(unreadable.check("data-keys").detail()).contains("kek-2026").contains("altered");
    assertThat(unreadable.check("audit-chain").status()).isEqualTo(HealthStatus.UP);
    assertThat(unreadable.check("row-ownership").status()).isEqualTo(HealthStatus.UP);

    assertThat(damaged.tenant(umbrella.id()).orElseThrow().status()).isEqualTo(HealthStatus.UP);
    assertThat(damaged.toString())
        .contains("DOWN platform row-ownership")
        .contains("DOWN globex " + globex.id() + " (ACTIVE) audit-chain: MISSING at position 2")
        .contains("DOWN initech " + initech.id() + " (TRIAL) data-keys")
        .contains("DEGRADED acme " + acme.id() + " (ACTIVE) audit-chain")
        .doesNotContain("umbrella");
    // No tenant's result names another tenant.
    for (TenantHealth health : damaged.tenants()) {
      String text = health.checks().toString();
      for (Tenant other : List.of(acme, globex, initech, umbrella)) {
        if (!other.id().equals(health.tenant())) {
          assertThat(text).doesNotContain(other.id().toString()).doesNotContain(stranger.toString());
        }
      }
    }
  }

  /** The checks as the admin API or an operator wires them over the restored database. */
  private static TenantHealthChecks verification() {
    PGSimpleDataSource admin = restored(CryptoPostgres.ADMIN_USER);
    JdbcTenantStore tenants = tenantStore(admin);
    TenantAwareDataSource application = TenantAwareDataSource.of(RowLevelSecurity.builder(restoredAppPool).build());
    return TenantHealthChecks.builder()
        .tenants(tenants)
        .parallelism(4)
        .timeout(Duration.ofSeconds(30))
        .check(AuditChainCheck.builder().sink(JdbcAuditSink.builder().dataSource(restored(appRole)).migrate(false)
                .build())
            .checkpoints(checkpoints).key(AUDIT_KEY).build())
        .check(RowOwnershipCheck.rowLevelSecurity(application).bypassDataSource(admin).schemas("public").build())
        .check(new DataKeyCheck(kek, JdbcTenantKeyStore.builder().dataSource(admin).migrate(false).build()))
        .build();
  }

  private static void record(DataSource database, Map<Tenant, Integer> events) {
    try (AuditLog audit = AuditLog.builder().sink(JdbcAuditSink.builder().dataSource(database).migrate(false).build())
        .key(AUDIT_KEY).checkpoints(checkpoints).build()) {
      events.forEach((tenant, count) -> {
        for (int i = 0; i < count; i++) {
          audit.record(AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.read").tenant(tenant.id())
              .actor(AuditActorType.USER, "user-" + i).resource("lead/" + i).build());
        }
      });
    }   // close() stores every event and checkpoints every chain, in the file outside the database
  }

  /**
   * Restores {@code source} into a new database {@code target}: with {@code pg_dump}/{@code pg_restore} (the documented
   * procedure) when they are on the PATH, else as a template copy.
   */
  private static void copyDatabase(String source, String target) throws Exception {
    Matcher server = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/").matcher(CryptoPostgres.URL);
    if (server.lookingAt() && run("pg_dump", "--version") && run("pg_restore", "--version")) {
      String host = server.group(1);
      String port = server.group(2) == null ? "5432" : server.group(2);
      Path dump = Files.createTempFile(anchors, "platform", ".dump");
      onServer("CREATE DATABASE " + target);
      boolean dumped = run("pg_dump", "-h", host, "-p", port, "-U", CryptoPostgres.ADMIN_USER, "-Fc", "-f",
          dump.toString(), source);
      boolean restored = dumped && run("pg_restore", "-h", host, "-p", port, "-U", CryptoPostgres.ADMIN_USER,
          "--exit-on-error", "-d", target, dump.toString());
      assertThat(restored).as("pg_dump | pg_restore of " + source + " into " + target).isTrue();
      LOG.info("restored {} into {} with pg_dump and pg_restore", source, target);
      return;
    }
    // From another database: a template must have no session at all, ours included.
    onServer("CREATE DATABASE " + target + " TEMPLATE " + source);
    LOG.info("pg_dump/pg_restore not found: copied {} into {} as a template", source, target);
  }

  private static boolean run(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return false;
      }
      if (process.exitValue() != 0) {
        LOG.warn("{} failed: {}", String.join(" ", command), output);
      }
      return process.exitValue() == 0;
    } catch (IOException notInstalled) {
      return false;
    }
  }

  private static PGSimpleDataSource appOn(PGSimpleDataSource admin) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(admin.getURL());
    ds.setUser(appRole);
    return ds;
  }

  private static PGSimpleDataSource restored(String user) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(original.adminDataSource().getURL());
    ds.setDatabaseName(restoredName);
    ds.setUser(user);
    return ds;
  }

  private static JdbcTenantStore tenantStore(DataSource database) {
    return JdbcTenantStore.builder().dataSource(database).changeNotifications(false).cacheTtl(Duration.ZERO).build();
  }

  private static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status, TenantConfiguration.ofTier("free"), T0,
        T0, 0, null);
  }

  private static void execute(DataSource database, String... sql) throws SQLException {
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  private static void onServer(String sql) throws SQLException {
    try (Connection admin = DriverManager.getConnection(CryptoPostgres.URL, adminProperties());
        Statement statement = admin.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Properties adminProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", CryptoPostgres.ADMIN_USER);
    return properties;
  }
}
