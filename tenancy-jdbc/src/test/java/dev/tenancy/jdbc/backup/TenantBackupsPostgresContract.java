package dev.tenancy.jdbc.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.BackupRefusedException.Reason;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of single-tenant backup and restore on the real PostgreSQL, run for each place a tenant can
 * live in, through a non-owner application role: backup → change both tenants → restore one, and every refusal
 * compared by digests of both tenants before and after.
 */
abstract class TenantBackupsPostgresContract {

  static final BackupKey KEY = BackupKey.of(UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));

  static PgShop shop;

  @TempDir
  Path directory;

  private final InMemoryTenantStore tenants = new InMemoryTenantStore();
  TenantInfo acme;
  TenantInfo globex;

  /** The place tenants live in. */
  abstract TenantAwareDataSource place();

  /** Creates what the tenant needs at the place (its schema, or nothing for shared tables). */
  abstract void prepare(TenantInfo tenant);

  @BeforeAll
  static void createShop() {
    shop = new PgShop();
  }

  @AfterAll
  static void dropShop() throws SQLException {
    if (shop != null) {
      shop.close();
    }
  }

  @BeforeEach
  void createTenants() {
    acme = tenant("acme");
    globex = tenant("globex");
    PgShop.seed(place(), acme, 4);
    PgShop.seed(place(), globex, 3);
  }

  private TenantInfo tenant(String slug) {
    Instant now = Instant.now();
    Tenant tenant = tenants.insert(new Tenant(TenantId.random(), TenantSlug.of(slug + "-"
        + UUID.randomUUID().toString().substring(0, 6)), slug, TenantStatus.ACTIVE, TenantConfiguration.ofTier("free"),
        now, now, 0, null));
    TenantInfo info = TenantInfo.of(tenant.id(), tenant.slug());
    prepare(info);
    return info;
  }

  JdbcTenantBackups backups(BackupKey key, BackupRepository repository) {
    JdbcTenantBackups.Builder builder = JdbcTenantBackups.builder().dataSource(place()).tenants(tenants)
        .repository(repository);
    return key == null ? builder.build() : builder.key(key).build();
  }

  JdbcTenantBackups backups() {
    return backups(KEY, BackupRepository.directory(directory));
  }

  void suspend(TenantInfo tenant) {
    tenants.update(tenants.findById(tenant.id()).orElseThrow().withStatus(TenantStatus.SUSPENDED, Instant.now()));
  }

  Path archive(TenantInfo tenant, String backupId) {
    return directory.resolve(tenant.id().toString()).resolve(backupId + ".zip");
  }

  /** Changes rows of every table of a tenant: an update, a delete and an insert. */
  void change(TenantInfo tenant, String marker) {
    String org = place().strategy() instanceof dev.tenancy.jdbc.RowLevelSecurity ? "organization_id, " : "";
    String orgValue = org.isEmpty() ? "" : "'" + tenant.id() + "', ";
    PgShop.update(place(), tenant, "UPDATE orders SET note = '" + marker + "' WHERE note IS NOT NULL");
    PgShop.update(place(), tenant, "DELETE FROM order_lines WHERE product = 'widget-0'");
    PgShop.update(place(), tenant, "INSERT INTO customers (" + org + "name) VALUES (" + orgValue + "'" + marker
        + "')");
  }

  @Test
  void backup_changeBothTenants_restoreOne_onlyThatTenantReturnsToTheBackup() {
    JdbcTenantBackups backups = backups();
    TenantDataDigest acmeAtBackup = TenantDataDigest.of(place(), acme);
    BackupSummary backup = backups.backup(acme.id());
    assertThat(backup.rows()).isEqualTo(4 + 5 + 4);
    assertThat(backup.tables()).containsOnlyKeys("customers", "orders", "order_lines");

    change(acme, "acme changed after the backup");
    change(globex, "globex changed after the backup");
    TenantDataDigest globexNewer = TenantDataDigest.of(place(), globex);
    assertThat(TenantDataDigest.of(place(), acme)).isNotEqualTo(acmeAtBackup);
    suspend(acme);

    RestoreSummary restored = backups.restore(acme.id(), backup.backupId());

    assertThat(TenantDataDigest.of(place(), acme)).isEqualTo(acmeAtBackup);
    assertThat(TenantDataDigest.of(place(), globex)).isEqualTo(globexNewer);
    assertThat(restored.rowsRestored()).isEqualTo(13);
    assertThat(restored.rowsRemoved()).isEqualTo(5 + 5 + 3);
    assertThat(PgShop.queryLong(place(), globex, "SELECT count(*) FROM customers WHERE name LIKE 'globex changed%'"))
        .isEqualTo(1);
    // foreign keys intact: every line has its order, every order its customer
    assertThat(PgShop.queryLong(place(), acme, "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id"
        + " JOIN customers c ON c.id = o.customer_id")).isEqualTo(4);
    // and the application can go on inserting
    change(acme, "after the restore");
  }

  @Test
  void restore_ofATamperedArchive_isRefused_andChangesNothing() throws IOException {
    JdbcTenantBackups backups = backups();
    BackupSummary backup = backups.backup(acme.id());
    change(acme, "newer");
    suspend(acme);
    new ArchiveSurgery(archive(acme, backup.backupId()))
        .edit("tables/002.jsonl", text -> text.replaceFirst("\"paid\":true", "\"paid\":false")).save();

    assertRefusedChangingNothing(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);
  }

  /** Without a key, a re-hashed archive is consistent — the tenant column of every row is what refuses it. */
  @Test
  void restore_ofAnArchiveWithAForeignRow_isRefused_andChangesNothing() throws IOException {
    JdbcTenantBackups unsigned = backups(null, BackupRepository.directory(directory));
    BackupSummary backup = unsigned.backup(acme.id());
    suspend(acme);
    ArchiveSurgery surgery = new ArchiveSurgery(archive(acme, backup.backupId()));
    if (surgery.text("tables/002.jsonl").contains(acme.id().toString())) {
      surgery.edit("tables/002.jsonl", text -> text.replaceFirst(acme.id().toString(), globex.id().toString()));
    } else {
      // a schema of the tenant's own has no tenant column; a smuggled row claims one
      surgery.edit("tables/002.jsonl", text -> text.replaceFirst("\\{", "{\"organization_id\":\"" + globex.id()
          + "\","));
    }
    surgery.rehash().save();

    assertRefusedChangingNothing(() -> unsigned.restore(acme.id(), backup.backupId()), Reason.FOREIGN_ROWS);
    // with a key the same archive is caught even earlier: its signature no longer matches
    BackupSummary signed = backups().backup(acme.id());
    ArchiveSurgery signedSurgery = new ArchiveSurgery(archive(acme, signed.backupId()));
    signedSurgery.entries.put("tables/002.jsonl", surgery.entries.get("tables/002.jsonl"));
    signedSurgery.rehash().save();
    assertRefusedChangingNothing(() -> backups().restore(acme.id(), signed.backupId()), Reason.TAMPERED);
  }

  @Test
  void restore_intoAnotherTenant_isRefused_andChangesNothing() throws IOException {
    JdbcTenantBackups backups = backups();
    BackupSummary acmeBackup = backups.backup(acme.id());
    suspend(globex);

    assertRefusedChangingNothing(() -> backups.restore(globex.id(), acmeBackup.backupId()), Reason.UNKNOWN_BACKUP);
    Path copy = archive(globex, acmeBackup.backupId());
    Files.createDirectories(copy.getParent());
    Files.copy(archive(acme, acmeBackup.backupId()), copy);
    assertRefusedChangingNothing(() -> backups.restore(globex.id(), acmeBackup.backupId()), Reason.OTHER_TENANT);
  }

  @Test
  void restore_ofAServingTenant_isRefused_andChangesNothing() {
    JdbcTenantBackups backups = backups();
    BackupSummary backup = backups.backup(acme.id());
    change(acme, "newer");

    assertRefusedChangingNothing(() -> backups.restore(acme.id(), backup.backupId()), Reason.TENANT_SERVING);
  }

  /**
   * The archive is verified before the transaction and re-hashed while rows are inserted: one swapped in between
   * (here: the repository serves the altered file only on the second open) fails after the tenant's rows were
   * deleted and some inserted — and the rollback leaves everything as it was.
   */
  @Test
  void restore_ofAnArchiveSwappedDuringTheRestore_rollsBackTheDeletesAndInserts() throws IOException {
    BackupRepository files = BackupRepository.directory(directory);
    BackupSummary backup = backups(KEY, files).backup(acme.id());
    change(acme, "newer");
    suspend(acme);
    Path original = archive(acme, backup.backupId());
    Path altered = directory.resolve("altered.zip");
    new ArchiveSurgery(original).edit("tables/003.jsonl", text -> text.replace("widget-1", "widget-X"))
        .save(altered);
    AtomicInteger opens = new AtomicInteger();
    BackupRepository swapping = new BackupRepository() {
      @Override
      public NewArchive create(TenantId tenant, String backupId) throws IOException {
        return files.create(tenant, backupId);
      }

      @Override
      public InputStream open(TenantId tenant, String backupId) throws IOException {
        return opens.incrementAndGet() == 1 ? files.open(tenant, backupId) : Files.newInputStream(altered);
      }

      @Override
      public List<String> list(TenantId tenant) throws IOException {
        return files.list(tenant);
      }

      @Override
      public boolean delete(TenantId tenant, String backupId) throws IOException {
        return files.delete(tenant, backupId);
      }
    };

    assertRefusedChangingNothing(() -> backups(KEY, swapping).restore(acme.id(), backup.backupId()),
        Reason.TAMPERED);
    assertThat(opens).hasValue(2);
  }

  private void assertRefusedChangingNothing(org.assertj.core.api.ThrowableAssert.ThrowingCallable restore,
      Reason reason) {
    TenantDataDigest acmeBefore = TenantDataDigest.of(place(), acme);
    TenantDataDigest globexBefore = TenantDataDigest.of(place(), globex);
    assertThatThrownBy(restore).isInstanceOfSatisfying(BackupRefusedException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    assertThat(TenantDataDigest.of(place(), acme)).isEqualTo(acmeBefore);
    assertThat(TenantDataDigest.of(place(), globex)).isEqualTo(globexBefore);
  }
}
