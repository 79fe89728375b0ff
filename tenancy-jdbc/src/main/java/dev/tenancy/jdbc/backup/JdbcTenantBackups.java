package dev.tenancy.jdbc.backup;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.BackupRefusedException.Reason;
import dev.tenancy.core.data.BackupStorageException;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.data.TenantBackups;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-tenant backup and restore over a {@link TenantAwareDataSource}: the tenant's rows of every tenant table —
 * RLS-scoped shared tables, or its own schema or database — archived in foreign-key order, and restored into the same
 * tenant in one transaction that replaces only that tenant's rows.
 *
 * <pre>{@code
 * JdbcTenantBackups backups = JdbcTenantBackups.builder()
 *     .dataSource(tenantAwareDataSource)                     // the application's own, bound per tenant
 *     .tenants(tenantStore)                                  // for the tenant's slug and status
 *     .repository(BackupRepository.directory(Path.of("/var/backups/tenancy")))
 *     .key(BackupKey.of(secretFromVault))                    // signs manifests; keep it outside the database
 *     .build();
 * BackupSummary backup = backups.backup(acme.id());
 * ...                                                        // suspend acme, then:
 * backups.restore(acme.id(), backup.backupId());
 * }</pre>
 *
 * <p>An archive is a zip of {@code manifest.json} (format version, tenant, creation time, source kind, each table's
 * columns and types, row count and SHA-256), {@code manifest.hmac} (with a key) and one JSON-lines file per table.
 * Library tables ({@code tenancy_*}: tenant registry, audit, wrapped data keys) are never archived, so an archive of a
 * crypto-shredded tenant stays unreadable; columns the application encrypted stay ciphertext.
 *
 * <p>A restore is refused with nothing changed ({@link BackupRefusedException}) when the tenant is serving requests,
 * the archive is unknown, altered ({@link Reason#TAMPERED} — with a {@link BackupKey}, also when altered on purpose
 * and re-hashed; without one, only accidental corruption is caught), belongs to another tenant, holds a row naming
 * another tenant, or no longer fits the tables. It uses INSERT, never {@code COPY FROM}, which PostgreSQL refuses for
 * tables under row-level security.
 *
 * @since 0.1.0
 */
public final class JdbcTenantBackups implements TenantBackups {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcTenantBackups.class);

  private final TenantAwareDataSource dataSource;
  private final TenantStore tenants;
  private final BackupRepository repository;
  private final @Nullable BackupKey key;
  private final String tenantColumn;
  private final Clock clock;

  private JdbcTenantBackups(Builder builder) {
    this.dataSource = builder.dataSource;
    this.tenants = builder.tenants;
    this.repository = builder.repository;
    this.key = builder.key;
    this.tenantColumn = builder.tenantColumn;
    this.clock = builder.clock;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public BackupSummary backup(TenantId tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    TenantInfo tenant = info(tenantId);
    PlaceKind kind = Places.kindOf(dataSource, tenant);
    java.time.Instant createdAt = clock.instant();
    String backupId = BackupIds.next(createdAt);
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
      TenantTables tables = TenantTables.discover(connection, kind, tenantColumn);
      try (Transactions snapshot = Transactions.snapshot(connection);
          BackupRepository.NewArchive archive = repository.create(tenantId, backupId)) {
        BufferedOutputStream out = new BufferedOutputStream(archive.stream(), 1 << 16);
        BackupManifest manifest = ArchiveWriter.write(out, connection, tables, tenant, backupId, createdAt, key);
        out.flush();
        archive.publish();
        LOG.info("Backed up tenant {}: {} rows in {} tables as {}", tenantId, manifest.rows(),
            manifest.tables().size(), backupId);
        return summary(manifest, manifest.toJson());
      }
    } catch (SQLException e) {
      throw new BackupStorageException("Backup of tenant " + tenantId + " failed reading its data (SQLState "
          + e.getSQLState() + ": " + e.getMessage() + "); no archive was kept", e);
    } catch (IOException e) {
      throw new BackupStorageException("Backup of tenant " + tenantId + " failed writing to " + repository + " ("
          + e.getMessage() + "); no archive was kept — check the repository's space and permissions", e);
    }
  }

  @Override
  public RestoreSummary restore(TenantId tenantId, String backupId) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(backupId, "backupId");
    ArchiveReader.Refusal refusal = (reason, detail) -> new BackupRefusedException(tenantId, backupId, reason, detail);
    TenantInfo tenant = info(tenantId);
    if (tenant.status() == TenantStatus.TRIAL || tenant.status() == TenantStatus.ACTIVE) {
      throw refusal.refuse(Reason.TENANT_SERVING, "the tenant is " + tenant.status() + " and serving requests, which "
          + "would see half-restored data and lose their writes; suspend it first, restore, then reactivate it");
    }
    if (!BackupIds.isValid(backupId)) {
      throw refusal.refuse(Reason.UNKNOWN_BACKUP, "that is not a backup id");
    }
    BackupManifest manifest;
    try (InputStream in = open(tenantId, backupId, refusal)) {
      manifest = ArchiveReader.verify(in, tenantId, tenantColumn, key, refusal);
    } catch (ZipException | EOFException e) {
      throw refusal.refuse(Reason.TAMPERED, "the archive is not a valid zip file or is truncated (" + e.getMessage()
          + ")");
    } catch (IOException e) {
      throw storageFailure(tenantId, backupId, e);
    }
    PlaceKind kind = Places.kindOf(dataSource, tenant);
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
      TenantTables tables = TenantTables.discover(connection, kind, tenantColumn);
      Map<String, ColumnPlan> plans = plans(manifest, tables, tenantId, refusal);
      try (Transactions transaction = Transactions.write(connection)) {
        TargetTables.deferConstraints(connection, tables.dialect());
        long removed = TargetTables.deleteTenantRows(connection, tables, tenantId);
        Map<String, Long> restored;
        try (InputStream in = open(tenantId, backupId, refusal); Loader loader = new Loader(connection, plans,
            tables.dialect(), tenantId)) {
          ArchiveReader.read(in, manifest, loader, refusal);
          restored = loader.finish();
        }
        TargetTables.advanceSequences(connection, tables.tables(), tables.dialect(), false);
        transaction.commit();
        long rows = restored.values().stream().mapToLong(Long::longValue).sum();
        LOG.info("Restored tenant {} from {}: {} rows replaced by {}", tenantId, backupId, removed, rows);
        return new RestoreSummary(backupId, tenantId, clock.instant(), restored, removed, rows);
      }
    } catch (ForeignTenantRowException e) {
      throw refusal.refuse(Reason.FOREIGN_ROWS, e.getMessage());
    } catch (ZipException | EOFException e) {
      throw refusal.refuse(Reason.TAMPERED, "the archive changed while it was being restored (" + e.getMessage()
          + ")");
    } catch (SQLException e) {
      throw new BackupStorageException("Restore of backup '" + backupId + "' into tenant " + tenantId + " failed in "
          + "the database (SQLState " + e.getSQLState() + ": " + e.getMessage() + "); it was rolled back, nothing "
          + "was changed", e);
    } catch (IOException e) {
      throw storageFailure(tenantId, backupId, e);
    }
  }

  @Override
  public List<BackupSummary> list(TenantId tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    List<BackupSummary> summaries = new ArrayList<>();
    try {
      for (String backupId : repository.list(tenantId)) {
        try (InputStream in = new BufferedInputStream(repository.open(tenantId, backupId))) {
          byte[] manifest = manifestBytes(in);
          if (manifest == null) {
            LOG.warn("Backup {} of tenant {} has no manifest; not listed", backupId, tenantId);
            continue;
          }
          summaries.add(summary(BackupManifest.parse(manifest), manifest));
        } catch (IllegalArgumentException | java.time.DateTimeException | ZipException e) {
          LOG.warn("Backup {} of tenant {} is unreadable ({}); not listed", backupId, tenantId, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new BackupStorageException("Listing the backups of tenant " + tenantId + " in " + repository + " failed ("
          + e.getMessage() + ")", e);
    }
    summaries.sort(Comparator.comparing(BackupSummary::createdAt).reversed());
    return summaries;
  }

  private TenantInfo info(TenantId tenantId) {
    Tenant tenant = tenants.findById(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId.toString()));
    return new TenantInfo(tenant.id(), tenant.slug(), tenant.status(), EffectiveConfiguration.none());
  }

  private InputStream open(TenantId tenantId, String backupId, ArchiveReader.Refusal refusal) throws IOException {
    try {
      return new BufferedInputStream(repository.open(tenantId, backupId), 1 << 16);
    } catch (NoSuchFileException e) {
      throw refusal.refuse(Reason.UNKNOWN_BACKUP, "tenant " + tenantId + " has no backup with that id");
    }
  }

  private static Map<String, ColumnPlan> plans(BackupManifest manifest, TenantTables tables, TenantId tenant,
      ArchiveReader.Refusal refusal) {
    Map<String, ColumnPlan> plans = new LinkedHashMap<>();
    for (BackupManifest.Table table : manifest.tables()) {
      TenantTable target = tables.table(table.name()).orElseThrow(() -> refusal.refuse(Reason.INCOMPATIBLE,
          "the archive holds table " + table.name() + ", which the tenant no longer has"));
      try {
        plans.put(table.file(), ColumnPlan.between(table.name(), table.columns(), table.tenantColumn(), target,
            tenant));
      } catch (TableMismatchException e) {
        throw refusal.refuse(Reason.INCOMPATIBLE, e.getMessage());
      }
    }
    return plans;
  }

  private static @Nullable byte[] manifestBytes(InputStream in) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      if (entry.getName().equals(BackupManifest.MANIFEST)) {
        return zip.readAllBytes();
      }
    }
    return null;
  }

  private static BackupSummary summary(BackupManifest manifest, byte[] manifestBytes) {
    Map<String, Long> tables = new LinkedHashMap<>();
    manifest.tables().forEach(t -> tables.put(t.name(), t.rows()));
    return new BackupSummary(manifest.backupId(), manifest.tenant(), manifest.createdAt(), tables, manifest.rows(),
        HexFormat.of().formatHex(BackupKey.sha256(manifestBytes)));
  }

  private BackupStorageException storageFailure(TenantId tenantId, String backupId, IOException e) {
    return new BackupStorageException("Restore of backup '" + backupId + "' into tenant " + tenantId + " could not "
        + "read the archive from " + repository + " (" + e.getMessage() + "); nothing was changed", e);
  }

  /** Inserts pass two's rows, one table's batch writer at a time. */
  private static final class Loader implements ArchiveReader.RowSink, AutoCloseable {
    private final Connection connection;
    private final Map<String, ColumnPlan> plans;
    private final SqlDialect dialect;
    private final TenantId tenant;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private @Nullable RowWriter writer;
    private @Nullable String file;

    Loader(Connection connection, Map<String, ColumnPlan> plans, SqlDialect dialect, TenantId tenant) {
      this.connection = connection;
      this.plans = plans;
      this.dialect = dialect;
      this.tenant = tenant;
      plans.values().forEach(plan -> counts.put(plan.target().name(), 0L));
    }

    @Override
    public void row(BackupManifest.Table table, @Nullable Object[] values) throws SQLException {
      if (!table.file().equals(file)) {
        finishTable();
        file = table.file();
        writer = new RowWriter(connection, plans.get(table.file()), dialect, tenant);
      }
      writer.add(values);
    }

    private void finishTable() throws SQLException {
      if (writer != null) {
        RowWriter done = writer;
        writer = null;
        try {
          counts.put(plans.get(file).target().name(), done.finish());
        } finally {
          done.close();
        }
      }
    }

    Map<String, Long> finish() throws SQLException {
      finishTable();
      return counts;
    }

    @Override
    public void close() throws SQLException {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** Configures {@link JdbcTenantBackups}; data source, tenant store and repository are required. */
  public static final class Builder {
    private @Nullable TenantAwareDataSource dataSource;
    private @Nullable TenantStore tenants;
    private @Nullable BackupRepository repository;
    private @Nullable BackupKey key;
    private String tenantColumn = TenantTables.DEFAULT_TENANT_COLUMN;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * @param dataSource the application's tenant-aware data source; backups read and restores write through it, as
     *     the tenant
     * @return this builder
     */
    public Builder dataSource(TenantAwareDataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * @param tenants where tenants are looked up (slug, and status: a restore needs the tenant not serving)
     * @return this builder
     */
    public Builder tenants(TenantStore tenants) {
      this.tenants = Objects.requireNonNull(tenants, "tenants");
      return this;
    }

    /**
     * @param repository where archives are kept
     * @return this builder
     */
    public Builder repository(BackupRepository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /**
     * Signs every manifest, and makes restores refuse archives without this key's signature. Without a key, a
     * restore still checks every hash, which catches corruption but not an alteration whose author re-hashed.
     *
     * @param key the backup key, kept outside the database and the repository
     * @return this builder
     */
    public Builder key(BackupKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * @param column the tenant column of shared tables (default {@value TenantTables#DEFAULT_TENANT_COLUMN})
     * @return this builder
     */
    public Builder tenantColumn(String column) {
      this.tenantColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * @param clock the clock for creation times and backup ids (default UTC system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the backups
     * @throws IllegalStateException if the data source, tenant store or repository is missing
     */
    public JdbcTenantBackups build() {
      if (dataSource == null || tenants == null || repository == null) {
        throw new IllegalStateException("JdbcTenantBackups needs dataSource(...), tenants(...) and repository(...)");
      }
      return new JdbcTenantBackups(this);
    }
  }
}
