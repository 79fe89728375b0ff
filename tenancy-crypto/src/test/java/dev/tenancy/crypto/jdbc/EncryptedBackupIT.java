package dev.tenancy.crypto.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.crypto.TenantCipher;
import dev.tenancy.crypto.TenantCryptoException;
import dev.tenancy.crypto.TenantKeys;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.backup.BackupKey;
import dev.tenancy.jdbc.backup.BackupRepository;
import dev.tenancy.jdbc.backup.JdbcTenantBackups;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of encrypted columns on the real PostgreSQL (shared tables under row-level security, a non-owner role):
 * encrypted values travel as ciphertext, wrapped data keys never travel (even with the key table in the same schema),
 * and after crypto-shredding a tenant its restored rows no longer decrypt — while another tenant's still do.
 */
class EncryptedBackupIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CryptoPostgres postgres;
  private static String appRole;
  private static HikariDataSource appPool;
  private static TenantAwareDataSource dataSource;
  private static TenantKeys keys;
  private static EncryptedColumns columns;

  @TempDir
  Path directory;

  @BeforeAll
  static void createDatabase() throws SQLException {
    postgres = CryptoPostgres.createDatabase();
    appRole = "tenancy_crypto_app_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection owner = postgres.adminDataSource().getConnection();
        Statement statement = owner.createStatement()) {
      statement.execute("CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS");
      statement.execute("GRANT CONNECT ON DATABASE " + owner.getCatalog() + " TO " + appRole);
      statement.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
      statement.execute("CREATE TABLE leads (organization_id uuid NOT NULL, id bigint NOT NULL, name text NOT NULL,"
          + " email text, PRIMARY KEY (organization_id, id))");
      RlsPolicies.builder().tables("leads").applicationRole(appRole).build().apply(owner);
    }
    // the wrapped keys live in the same schema as the tenant tables: the worst case for "keys never travel"
    keys = TenantKeys.builder(new TestKek(), JdbcTenantKeyStore.builder().dataSource(postgres.adminDataSource())
        .schema("public").build()).build();
    columns = EncryptedColumns.of(TenantCipher.of(keys));
    HikariConfig config = new HikariConfig();
    org.postgresql.ds.PGSimpleDataSource app = new org.postgresql.ds.PGSimpleDataSource();
    app.setURL(postgres.adminDataSource().getURL());
    app.setUser(appRole);
    config.setDataSource(app);
    config.setMaximumPoolSize(2);
    config.setPoolName("encrypted-backup-it");
    appPool = new HikariDataSource(config);
    dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(appPool).build());
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (appPool != null) {
      appPool.close();
    }
    if (postgres != null) {
      postgres.close();
      try (Connection admin = java.sql.DriverManager.getConnection(CryptoPostgres.URL, CryptoPostgres.ADMIN_USER,
          null); Statement statement = admin.createStatement()) {
        statement.execute("DROP ROLE IF EXISTS " + appRole);
      }
    }
  }

  @Test
  void encryptedColumns_stayCiphertextInTheArchive_andShreddedTenantsRestoredRowsNeverDecryptAgain()
      throws Exception {
    InMemoryTenantStore tenants = new InMemoryTenantStore();
    TenantInfo acme = tenant(tenants, "acme");
    TenantInfo globex = tenant(tenants, "globex");
    insertLeads(acme, 3);
    insertLeads(globex, 2);
    JdbcTenantBackups backups = JdbcTenantBackups.builder().dataSource(dataSource).tenants(tenants)
        .repository(BackupRepository.directory(directory)).key(BackupKey.of(new byte[32])).build();

    BackupSummary backup = backups.backup(acme.id());

    Map<String, String> archive = entries(directory.resolve(acme.id().toString()).resolve(backup.backupId() + ".zip"));
    assertThat(archive.keySet()).containsExactly("tables/001.jsonl", "manifest.json", "manifest.hmac");
    JsonNode tables = JSON.readTree(archive.get("manifest.json")).get("tables");
    assertThat(tables).hasSize(1);
    assertThat(tables.get(0).get("name").asText()).isEqualTo("leads");
    List<String> archivedEmails = new ArrayList<>();
    for (String line : archive.get("tables/001.jsonl").lines().toList()) {
      JsonNode row = JSON.readTree(line);
      archivedEmails.add(row.get("email").asText());
      assertThat(row.get("email").asText()).doesNotContain("@").isNotEmpty();
    }
    assertThat(archivedEmails).containsExactlyInAnyOrderElementsOf(storedEmails(acme));
    String everything = String.join("\n", archive.values());
    assertThat(everything).doesNotContain("@acme.example").doesNotContain("tenant_data_keys")
        .doesNotContain("wrapped_key");
    for (byte[] wrapped : wrappedKeys()) {
      assertThat(everything).doesNotContain(Base64.getEncoder().encodeToString(wrapped))
          .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(wrapped))
          .doesNotContain(HexFormat.of().formatHex(wrapped));
    }

    // crypto-shredding: the keys are gone from the database, and restoring the archive does not bring them back
    keys.destroy(acme.id());
    tenants.update(tenants.findById(acme.id()).orElseThrow().withStatus(TenantStatus.SUSPENDED, Instant.now()));
    backups.restore(acme.id(), backup.backupId());

    assertThat(storedEmails(acme)).containsExactlyInAnyOrderElementsOf(archivedEmails);
    assertThat(keyRows(acme.id())).isZero();
    for (String ciphertext : archivedEmails) {
      assertThatThrownBy(() -> TenantCipher.of(keys).decryptString(acme.id(), "leads.email", ciphertext))
          .isInstanceOf(TenantCryptoException.class);
    }
    assertThat(decryptedEmails(globex)).containsExactlyInAnyOrder("lead-1@globex.example", "lead-2@globex.example");
  }

  private static TenantInfo tenant(InMemoryTenantStore tenants, String slug) {
    Instant now = Instant.now();
    Tenant tenant = tenants.insert(new Tenant(TenantId.random(), TenantSlug.of(slug), slug, TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("free"), now, now, 0, null));
    keys.create(tenant.id());
    return TenantInfo.of(tenant.id(), tenant.slug());
  }

  private static void insertLeads(TenantInfo tenant, int count) throws SQLException {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO leads VALUES (?, ?, ?, ?)")) {
      for (int i = 1; i <= count; i++) {
        insert.setObject(1, tenant.id().value());
        insert.setLong(2, i);
        insert.setString(3, "Lead " + i);
        columns.set(insert, 4, tenant.id(), "leads.email", "lead-" + i + "@" + tenant.slug() + ".example");
        insert.executeUpdate();
      }
    }
  }

  private static List<String> storedEmails(TenantInfo tenant) throws SQLException {
    List<String> emails = new ArrayList<>();
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT email FROM leads ORDER BY id")) {
      while (rows.next()) {
        emails.add(rows.getString(1));
      }
    }
    return emails;
  }

  private static List<String> decryptedEmails(TenantInfo tenant) throws SQLException {
    List<String> emails = new ArrayList<>();
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT email FROM leads ORDER BY id")) {
      while (rows.next()) {
        emails.add(columns.get(rows, "email", tenant.id(), "leads.email"));
      }
    }
    return emails;
  }

  private static List<byte[]> wrappedKeys() throws SQLException {
    List<byte[]> wrapped = new ArrayList<>();
    try (Connection admin = postgres.adminDataSource().getConnection(); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("SELECT wrapped_key FROM public.tenant_data_keys")) {
      while (rows.next()) {
        wrapped.add(rows.getBytes(1));
      }
    }
    assertThat(wrapped).isNotEmpty();
    return wrapped;
  }

  private static long keyRows(TenantId tenant) throws SQLException {
    try (Connection admin = postgres.adminDataSource().getConnection();
        PreparedStatement query = admin.prepareStatement("SELECT count(*) FROM public.tenant_data_keys"
            + " WHERE tenant_id = ?")) {
      query.setObject(1, tenant.value());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static Map<String, String> entries(Path zip) throws Exception {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(zip); ZipInputStream archive = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = archive.getNextEntry()) != null) {
        entries.put(entry.getName(), new String(archive.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
