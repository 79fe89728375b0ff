package dev.tenancy.jdbc.store;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TenantStore} in PostgreSQL or H2, with a read cache that every app instance invalidates within a second of
 * a change made anywhere.
 *
 * <p><b>Tables.</b> {@link Builder#build()} creates or upgrades the store's tables ({@code tenants},
 * {@code provisioning_records}) with versioned Flyway migrations in the store's own schema (default {@code tenancy})
 * and its own history table {@value #HISTORY_TABLE}, so they never clash with the application's Flyway. Turn this off
 * with {@link Builder#migrate(boolean) migrate(false)} when a DBA applies the scripts under
 * {@code dev/tenancy/jdbc/migration/} instead.
 *
 * <p><b>DataSource.</b> These are platform tables, read outside any tenant: give the store the raw (admin) DataSource,
 * never a {@code TenantAwareDataSource} — that would demand a tenant for every lookup, and under row-level security
 * would hide tenants from each other's requests.
 *
 * <p><b>Cache.</b> {@link #findById} and {@link #findBySlug} are served from a bounded cache, so the per-request tenant
 * lookup is not a query. On PostgreSQL every write sends {@code NOTIFY tenancy_tenant_changed} in its own transaction
 * (so it is delivered only if it commits), and a background thread holding one dedicated connection with
 * {@code LISTEN} invalidates the changed tenant on every instance — a suspension or a limit change bites everywhere
 * at once. Until that connection is listening, and whenever it is down, the cache is bypassed (reads query the
 * database), and it is cleared on reconnect, because notifications sent meanwhile are lost. The TTL ({@link Builder#cacheTtl}, default 5 s) is the fallback, and the only mechanism on
 * H2. The listener's connection is taken from the store's DataSource for the store's life: size a pool one larger.
 *
 * <p><b>Consistency.</b> A slug is unique (also ignoring case); of concurrent inserts of one slug exactly one wins and
 * the others get {@link SlugAlreadyTakenException}. Updates are optimistic ({@code UPDATE … WHERE id = ? AND
 * version = ?}). Time stamps are kept to the microsecond; the tenant returned by {@link #insert} and {@link #update}
 * is exactly what a later read returns.
 *
 * <pre>{@code
 * try (JdbcTenantStore store = JdbcTenantStore.builder().dataSource(adminDataSource).build()) {
 *   TenantService tenants = TenantService.builder().store(store).resolver(resolver).build();
 * }
 * }</pre>
 */
public final class JdbcTenantStore implements TenantStore, AutoCloseable {

  /** The Flyway history table of the store's own migrations, in the store's schema. */
  public static final String HISTORY_TABLE = "tenancy_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcTenantStore.class);

  private final Dialect dialect;
  private final String schema;
  private final TenantTable table;
  private final ProvisioningJournal journal;
  private final Duration cacheTtl;
  private final TenantCache cache;
  private final @Nullable PostgresChangeListener listener;

  private JdbcTenantStore(Builder builder, DataSource dataSource, Dialect dialect) {
    this.dialect = dialect;
    this.schema = builder.schema;
    this.table = new TenantTable(dataSource, dialect, SqlIdentifiers.quote(schema) + ".tenants");
    this.journal = new ProvisioningJournal(dataSource, dialect, SqlIdentifiers.quote(schema) + ".provisioning_records");
    this.cacheTtl = builder.cacheTtl;
    boolean listen = dialect == Dialect.POSTGRESQL && builder.changeNotifications && !cacheTtl.isZero();
    this.cache = new TenantCache(cacheTtl, builder.cacheMaximumSize, builder.ticker);
    this.listener = listen ? new PostgresChangeListener(dataSource, cache, "tenancy-tenant-changes-" + schema) : null;
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ tenants

  /**
   * {@inheritDoc}
   *
   * @return the stored tenant, its time stamps truncated to microseconds
   */
  @Override
  public Tenant insert(Tenant tenant) {
    Tenant row = TenantRows.storable(Objects.requireNonNull(tenant, "tenant"));
    table.insert(row);
    cache.invalidate(row.id(), row.slug());
    return row;
  }

  @Override
  public Optional<Tenant> findById(TenantId id) {
    return cache.byId(Objects.requireNonNull(id, "id"), table::findById);
  }

  @Override
  public Optional<Tenant> findBySlug(TenantSlug slug) {
    return cache.bySlug(Objects.requireNonNull(slug, "slug"), table::findBySlug);
  }

  /** {@inheritDoc} Never cached: listings are for administrators, who expect what the database holds. */
  @Override
  public TenantPage list(TenantQuery query) {
    return table.list(Objects.requireNonNull(query, "query"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws TenantConflictException if the tenant's slug differs from the stored one (a slug is kept for life)
   */
  @Override
  public Tenant update(Tenant tenant) {
    Tenant row = TenantRows.storable(Objects.requireNonNull(tenant, "tenant"));
    try {
      return table.update(row);
    } finally {
      // Also after a failure: a lost race means our cached copy is old.
      cache.invalidate(row.id(), row.slug());
    }
  }

  @Override
  public boolean remove(TenantId id) {
    TenantSlug removed = table.remove(Objects.requireNonNull(id, "id"));
    if (removed == null) {
      return false;
    }
    cache.invalidate(id, removed);
    return true;
  }

  // ------------------------------------------------------------------ provisioning journal

  @Override
  public void saveProvisioningRecord(ProvisioningRecord record) {
    journal.save(Objects.requireNonNull(record, "record"));
  }

  @Override
  public Optional<ProvisioningRecord> findProvisioningRecord(TenantId id) {
    return journal.find(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<ProvisioningRecord> listProvisioningRecords() {
    return journal.list();
  }

  @Override
  public void removeProvisioningRecord(TenantId id) {
    journal.remove(Objects.requireNonNull(id, "id"));
  }

  // ------------------------------------------------------------------ life cycle

  /**
   * Stops the change listener and releases its connection. Idempotent. The store keeps working afterwards, but
   * uncached: without the listener its entries could no longer be trusted.
   */
  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
  }

  /** @return the change listener, for tests in this package; empty on H2 or when notifications are off */
  Optional<PostgresChangeListener> changeListener() {
    return Optional.ofNullable(listener);
  }

  @Override
  public String toString() {
    return "JdbcTenantStore[" + dialect.name().toLowerCase(Locale.ROOT) + ", schema=" + schema
        + ", cacheTtl=" + cacheTtl + ", changeNotifications=" + (listener != null) + "]";
  }

  /**
   * Configures a {@link JdbcTenantStore}. Every option but the DataSource has a default; {@link #build()} checks them.
   */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = "tenancy";
    private Duration cacheTtl = Duration.ofSeconds(5);
    private long cacheMaximumSize = 10_000;
    private boolean changeNotifications = true;
    private boolean migrate = true;
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {
    }

    /**
     * The raw (platform, admin) DataSource the store reads and writes its tables with — never a tenant-bound one.
     *
     * @param dataSource a PostgreSQL or H2 DataSource, normally a HikariCP pool
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The schema of the store's tables and migration history; created if missing.
     *
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default {@code tenancy}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * How long a cached tenant lives at most: the fallback when a change notification is missed, and the only
     * mechanism on H2. {@link Duration#ZERO} turns the cache off.
     *
     * @param ttl zero or positive; default 5 seconds
     * @return this builder
     */
    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * How many tenants the cache holds per key (id, slug) before evicting the least used.
     *
     * @param maximumSize positive; default 10,000
     * @return this builder
     */
    public Builder cacheMaximumSize(long maximumSize) {
      this.cacheMaximumSize = maximumSize;
      return this;
    }

    /**
     * Whether this instance listens for changes made by other instances (PostgreSQL {@code LISTEN}, one dedicated
     * connection). Writes always send the notification on PostgreSQL, so listening instances stay current even when
     * some instances do not listen. Ignored on H2, where only the TTL applies.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder changeNotifications(boolean enabled) {
      this.changeNotifications = enabled;
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the store's tables with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/jdbc/migration/} are applied by other means; the history table is {@value #HISTORY_TABLE}.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean enabled) {
      this.migrate = enabled;
      return this;
    }

    /** The clock the cache TTL runs on; for tests. */
    Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Checks the options, migrates the tables (unless turned off) and starts the change listener on PostgreSQL.
     *
     * @return the store; close it to stop the listener
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if an option is out of range
     * @throws dev.tenancy.core.TenancyConfigurationException if the database is neither PostgreSQL nor H2
     * @throws TenantStoreAccessException if the database cannot be reached or migrated
     */
    public JdbcTenantStore build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcTenantStore");
      if (cacheTtl.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must be zero (no cache) or positive, was " + cacheTtl);
      }
      if (cacheMaximumSize <= 0) {
        throw new IllegalArgumentException("cacheMaximumSize must be positive, was " + cacheMaximumSize);
      }
      Dialect dialect;
      try (Connection connection = source.getConnection()) {
        dialect = Dialect.of(connection);
      } catch (SQLException e) {
        throw new TenantStoreAccessException("connect to its database", e);
      }
      if (migrate) {
        migrate(source, dialect);
      }
      JdbcTenantStore store = new JdbcTenantStore(this, source, dialect);
      if (store.listener != null) {
        store.listener.start();
      } else if (dialect == Dialect.H2 && !cacheTtl.isZero()) {
        LOG.info("JdbcTenantStore on H2: changes made by other processes are seen after the cache TTL ({})", cacheTtl);
      }
      return store;
    }

    private void migrate(DataSource source, Dialect dialect) {
      try {
        LibraryMigrations.migrate(source, schema, HISTORY_TABLE, dialect.migrationLocation(),
            JdbcTenantStore.class.getClassLoader());
      } catch (FlywayException e) {
        throw new TenantStoreAccessException("Migrating the tenant store's tables in schema '" + schema + "' failed: "
            + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table, a modified"
            + " migration) and start again", e);
      }
    }
  }
}
