package dev.tenancy.jdbc.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.BackupRefusedException.Reason;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore on H2 with a schema per tenant: the archive format, the refusals, the repository. */
class JdbcTenantBackupsH2Test {

  private static final BackupKey KEY = BackupKey.of(new byte[32]);

  @TempDir
  Path directory;

  private final H2Place place = new H2Place();
  private final InMemoryTenantStore tenants = new InMemoryTenantStore();
  private TenantInfo acme;
  private TenantInfo globex;
  private JdbcTenantBackups backups;

  @BeforeEach
  void createTenants() {
    acme = tenant("acme");
    globex = tenant("globex");
    place.createShop(acme);
    place.createShop(globex);
    TenantDataCopyH2Test.seed(place, acme, 3);
    TenantDataCopyH2Test.seed(place, globex, 2);
    backups = backups(KEY);
  }

  @AfterEach
  void close() {
    place.close();
  }

  private JdbcTenantBackups backups(BackupKey key) {
    JdbcTenantBackups.Builder builder = JdbcTenantBackups.builder().dataSource(place.dataSource).tenants(tenants)
        .repository(BackupRepository.directory(directory));
    return key == null ? builder.build() : builder.key(key).build();
  }

  private TenantInfo tenant(String slug) {
    Instant now = Instant.now();
    Tenant tenant = tenants.insert(new Tenant(TenantId.random(), TenantSlug.of(slug), slug, TenantStatus.ACTIVE,
        TenantConfiguration.ofTier("free"), now, now, 0, null));
    return TenantInfo.of(tenant.id(), tenant.slug());
  }

  private void suspend(TenantInfo tenant) {
    tenants.update(tenants.findById(tenant.id()).orElseThrow().withStatus(TenantStatus.SUSPENDED, Instant.now()));
  }

  private Path archive(TenantInfo tenant, String backupId) {
    return directory.resolve(tenant.id().toString()).resolve(backupId + ".zip");
  }

  @Test
  void backup_writesManifestAndOneJsonLinesFilePerTable_withoutLibraryTables() throws Exception {
    BackupSummary summary = backups.backup(acme.id());

    assertThat(summary.tenant()).isEqualTo(acme.id());
    assertThat(summary.tables()).containsExactly(java.util.Map.entry("CUSTOMERS", 3L),
        java.util.Map.entry("ORDERS", 4L), java.util.Map.entry("ORDER_LINES", 3L));
    assertThat(summary.rows()).isEqualTo(10);
    ArchiveSurgery archive = new ArchiveSurgery(archive(acme, summary.backupId()));
    assertThat(archive.entries.keySet()).containsExactly("tables/001.jsonl", "tables/002.jsonl", "tables/003.jsonl",
        "manifest.json", "manifest.hmac");
    JsonNode manifest = new ObjectMapper().readTree(archive.text("manifest.json"));
    assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(manifest.get("tenant").asText()).isEqualTo(acme.id().toString());
    assertThat(manifest.get("sourceKind").asText()).isEqualTo("SCHEMA");
    assertThat(manifest.get("keyId").asText()).isEqualTo(KEY.id());
    assertThat(manifest.get("tables").get(1).get("columns").findValuesAsText("type")).contains("UUID", "DECIMAL",
        "TIMESTAMPTZ", "JSON", "BYTES");
    assertThat(archive.text("tables/001.jsonl").lines()).hasSize(3)
        .allSatisfy(line -> assertThat(new ObjectMapper().readTree(line).get("NAME").asText()).startsWith("customer-"));
    assertThat(summary.sha256()).isEqualTo(sha256(archive.entries.get("manifest.json")));
    assertThat(String.join("", archive.entries.keySet())).doesNotContainIgnoringCase("tenancy_")
        .doesNotContainIgnoringCase("flyway");
  }

  @Test
  void restore_replacesOnlyThisTenantsRows_withTheBackupsRows() {
    TenantDataDigest backedUp = TenantDataDigest.of(place.dataSource, acme);
    BackupSummary backup = backups.backup(acme.id());
    place.execute("DELETE FROM " + H2Place.schema(acme) + ".order_lines WHERE line = 1",
        "UPDATE " + H2Place.schema(acme) + ".customers SET name = 'renamed'",
        "INSERT INTO " + H2Place.schema(acme) + ".customers (name) VALUES ('newer')",
        "INSERT INTO " + H2Place.schema(globex) + ".customers (name) VALUES ('globex newer')");
    TenantDataDigest globexNow = TenantDataDigest.of(place.dataSource, globex);
    suspend(acme);

    RestoreSummary restored = backups.restore(acme.id(), backup.backupId());

    assertThat(TenantDataDigest.of(place.dataSource, acme)).isEqualTo(backedUp);
    assertThat(TenantDataDigest.of(place.dataSource, globex)).isEqualTo(globexNow);
    assertThat(restored.rowsRestored()).isEqualTo(10);
    assertThat(restored.rowsRemoved()).isEqualTo(3 + 1 + 4 + 0);
    assertThat(restored.tables()).containsEntry("ORDER_LINES", 3L);
  }

  @Test
  void restore_whileTheTenantServes_isRefused() {
    BackupSummary backup = backups.backup(acme.id());
    place.execute("DELETE FROM " + H2Place.schema(acme) + ".order_lines");
    TenantDataDigest before = TenantDataDigest.of(place.dataSource, acme);

    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TENANT_SERVING);
    assertThat(TenantDataDigest.of(place.dataSource, acme)).isEqualTo(before);
  }

  @Test
  void restore_unknownOrTraversingBackupId_isUnknown() {
    suspend(acme);
    assertRefused(() -> backups.restore(acme.id(), "20240101T000000Z-00000000"), Reason.UNKNOWN_BACKUP);
    assertRefused(() -> backups.restore(acme.id(), "../" + globex.id() + "/x"), Reason.UNKNOWN_BACKUP);
    assertRefused(() -> backups.restore(acme.id(), ".."), Reason.UNKNOWN_BACKUP);
    assertThatThrownBy(() -> backups.restore(TenantId.random(), "x")).isInstanceOf(TenantNotFoundException.class);
  }

  @Test
  void restore_ofAnotherTenantsArchive_isRefused_evenWhenPlacedUnderThisTenant() throws Exception {
    BackupSummary globexBackup = backups.backup(globex.id());
    // the archive is only found under its own tenant...
    suspend(acme);
    assertRefused(() -> backups.restore(acme.id(), globexBackup.backupId()), Reason.UNKNOWN_BACKUP);
    // ...and copied into acme's directory, its manifest still names globex
    Path copy = archive(acme, globexBackup.backupId());
    Files.createDirectories(copy.getParent());
    Files.copy(archive(globex, globexBackup.backupId()), copy);
    TenantDataDigest before = TenantDataDigest.of(place.dataSource, acme);

    assertRefused(() -> backups.restore(acme.id(), globexBackup.backupId()), Reason.OTHER_TENANT);
    assertThat(TenantDataDigest.of(place.dataSource, acme)).isEqualTo(before);
  }

  @Test
  void restore_ofAnAlteredRow_isTampered_withOrWithoutAKey() throws Exception {
    BackupSummary backup = backups.backup(acme.id());
    suspend(acme);
    new ArchiveSurgery(archive(acme, backup.backupId()))
        .edit("tables/001.jsonl", text -> text.replace("customer-1", "customer-X")).save();
    TenantDataDigest before = TenantDataDigest.of(place.dataSource, acme);

    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);
    assertRefused(() -> backups(null).restore(acme.id(), backup.backupId()), Reason.TAMPERED);
    assertThat(TenantDataDigest.of(place.dataSource, acme)).isEqualTo(before);
  }

  /** Someone who can rewrite the repository can re-hash; only the key's signature tells. */
  @Test
  void restore_ofAnAlteredAndRehashedArchive_isTamperedOnlyWithAKey() throws Exception {
    BackupSummary backup = backups.backup(acme.id());
    suspend(acme);
    new ArchiveSurgery(archive(acme, backup.backupId()))
        .edit("tables/001.jsonl", text -> text.replace("customer-1", "customer-X")).rehash().save();

    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);
    assertRefused(() -> backups(BackupKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})).restore(acme.id(), backup.backupId()),
        Reason.TAMPERED);
    // documented limit: without a key the re-hashed archive is consistent, so it restores
    backups(null).restore(acme.id(), backup.backupId());
    assertThat(TenantDataDigest.of(place.dataSource, acme).rows()).isEqualTo(10);
  }

  @Test
  void restore_ofAnUnsignedArchive_isTampered_whenAKeyIsConfigured() throws Exception {
    BackupSummary backup = backups.backup(acme.id());
    suspend(acme);
    new ArchiveSurgery(archive(acme, backup.backupId())).remove("manifest.hmac").save();

    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);
  }

  @Test
  void restore_ofATruncatedOrReorderedArchive_isTampered() throws Exception {
    BackupSummary backup = backups.backup(acme.id());
    suspend(acme);
    Path file = archive(acme, backup.backupId());
    ArchiveSurgery archive = new ArchiveSurgery(file);
    byte[] original = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(original, original.length / 2));
    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);

    archive.remove("tables/002.jsonl").save();
    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.TAMPERED);
  }

  @Test
  void restore_afterTheTablesChanged_isIncompatible_andChangesNothing() {
    BackupSummary backup = backups.backup(acme.id());
    suspend(acme);
    place.execute("ALTER TABLE " + H2Place.schema(acme) + ".orders DROP COLUMN note");
    TenantDataDigest before = TenantDataDigest.of(place.dataSource, acme);

    assertRefused(() -> backups.restore(acme.id(), backup.backupId()), Reason.INCOMPATIBLE);
    assertThat(TenantDataDigest.of(place.dataSource, acme)).isEqualTo(before);
  }

  @Test
  void list_showsTheTenantsBackupsNewestFirst_andNoOtherTenants() {
    BackupSummary first = JdbcTenantBackups.builder().dataSource(place.dataSource).tenants(tenants)
        .repository(BackupRepository.directory(directory)).key(KEY)
        .clock(java.time.Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)).build()
        .backup(acme.id());
    BackupSummary second = backups.backup(acme.id());
    backups.backup(globex.id());

    assertThat(backups.list(acme.id())).containsExactly(second, first);
    assertThat(backups.list(TenantId.random())).isEmpty();
  }

  @Test
  void repository_refusesIdsThatLeaveTheTenantsDirectory() {
    BackupRepository repository = BackupRepository.directory(directory);
    for (String id : new String[] {"../x", "a/b", "..", "", ".hidden", "a\\b", "x".repeat(101)}) {
      assertThatThrownBy(() -> repository.create(acme.id(), id)).as(id).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(BackupRefusedException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(BackupKey.sha256(bytes));
  }
}
