package dev.tenancy.jdbc.move;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MutableShardDirectory} in a platform table ({@code <schema>.shard_assignments}, PostgreSQL or H2) that
 * every app instance reads, with a short read cache because {@link #shardOf} is asked on every connection checkout.
 *
 * <p><b>Moves.</b> {@link #move} is one conditional {@code UPDATE … WHERE tenant_id = ? AND shard = ?}: it changes
 * exactly one row or none, so it is a compare-and-set that two movers can never both win. The instance that moves
 * drops its own cache entry at once.
 *
 * <p><b>How other instances learn of a move.</b> Through the cache TTL ({@link Builder#cacheTtl}, default 5 s): an
 * entry is never older than that, so every instance answers the new shard at most {@link #propagationDelay()} —
 * the TTL plus one second for a read that began before the switch and stored its answer just after it — after the
 * switch. Until then another instance may still route the tenant to its old place, which is why a
 * {@code TenantMover} keeps the tenant suspended at least that long after switching and before it erases the old
 * copy: no request is served, and nothing written, in the place it left. {@link Duration#ZERO} turns the cache off
 * (one query per checkout; moves seen at once). Unknown tenants are never cached, so a newly placed tenant is served
 * at once everywhere.
 *
 * <p>Give it the platform (admin) DataSource, never a tenant-bound one. {@link Builder#build()} creates or upgrades
 * the table with Flyway ({@code dev/tenancy/jdbc/move/}) under its own history table {@value #HISTORY_TABLE}; the
 * schema (default {@code tenancy_shards}) may be shared with the other Tenancy stores.
 *
 * <pre>{@code
 * JdbcShardDirectory directory = JdbcShardDirectory.builder().dataSource(adminDataSource).build();
 * directory.place(acme.id(), "shared");                       // a new tenant starts on the shared tables
 * Sharded sharded = Sharded.builder(directory)
 *     .shard("shared", RowLevelSecurity.builder(appPool).build())
 *     .shard("schemas", SchemaPerTenant.builder(appPool).build())
 *     .build();
 * }</pre>
 */
public final class JdbcShardDirectory implements MutableShardDirectory {

  /** The Flyway history table of the directory's own migrations, in its schema. */
  public static final String HISTORY_TABLE = "tenancy_shards_schema_history";

  /** Slack for a read that began before a switch and cached its (old) answer just after it. */
  private static final Duration READ_SLACK = Duration.ofSeconds(1);
  private static final int MAX_SHARD_LENGTH = 63;
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final String schema;
  private final Duration cacheTtl;
  private final @Nullable Cache<TenantId, String> cache;
  private final String selectSql;
  private final String selectAllSql;
  private final String insertSql;
  private final String moveSql;
  private final String deleteSql;

  private JdbcShardDirectory(DataSource dataSource, Builder builder) {
    this.dataSource = dataSource;
    this.schema = builder.schema;
    this.cacheTtl = builder.cacheTtl;
    this.cache = cacheTtl.isZero() ? null
        : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(builder.cacheMaximumSize)
            .ticker(builder.ticker).build();
    String table = SqlIdentifiers.quote(schema) + ".shard_assignments";
    this.selectSql = "SELECT shard FROM " + table + " WHERE tenant_id = ?";
    this.selectAllSql = "SELECT tenant_id, shard FROM " + table + " ORDER BY tenant_id";
    this.insertSql = "INSERT INTO " + table + " (tenant_id, shard, version, updated_at)"
        + " VALUES (?, ?, 0, CURRENT_TIMESTAMP)";
    this.moveSql = "UPDATE " + table + " SET shard = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP"
        + " WHERE tenant_id = ? AND shard = ?";
    this.deleteSql = "DELETE FROM " + table + " WHERE tenant_id = ?";
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws ShardDirectoryAccessException if the table cannot be read
   */
  @Override
  public Optional<String> shardOf(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (cache == null) {
      return load(tenant);
    }
    // A null from the loader stores nothing: unknown tenants are asked again next time.
    return Optional.ofNullable(cache.get(tenant, id -> load(id).orElse(null)));
  }

  /**
   * Places a tenant that is on no shard yet, e.g. right after it was created.
   *
   * @param tenant the tenant
   * @param shard the shard's name, 1 to 63 characters
   * @return {@code true} if it is on {@code shard} now (placed, or it already was); {@code false} if it is on another
   *     shard, which is left unchanged — use {@link #move} (normally through a {@code TenantMover}) to change it
   * @throws ShardDirectoryAccessException if the table cannot be written
   */
  public boolean place(TenantId tenant, String shard) {
    Objects.requireNonNull(tenant, "tenant");
    requireShard(shard, "shard");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(insertSql)) {
      insert.setObject(1, tenant.value());
      insert.setString(2, shard);
      insert.executeUpdate();
      commitIfNeeded(connection);
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return shard.equals(load(tenant).orElse(null));
      }
      throw new ShardDirectoryAccessException("place tenant " + tenant + " on shard '" + shard + "'", e);
    } finally {
      invalidate(tenant);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ShardDirectoryAccessException if the table cannot be written (then it is not known whether the switch
   *     happened: read {@link #shardOf} — uncached after a failure — to find out)
   */
  @Override
  public boolean move(TenantId tenant, String expectedShard, String newShard) {
    Objects.requireNonNull(tenant, "tenant");
    requireShard(expectedShard, "expectedShard");
    requireShard(newShard, "newShard");
    if (expectedShard.equals(newShard)) {
      throw new IllegalArgumentException("A move needs two different shards; both are '" + newShard + "'");
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(moveSql)) {
      update.setString(1, newShard);
      update.setObject(2, tenant.value());
      update.setString(3, expectedShard);
      int changed = update.executeUpdate();
      commitIfNeeded(connection);
      return changed == 1;
    } catch (SQLException e) {
      throw new ShardDirectoryAccessException("move tenant " + tenant + " from shard '" + expectedShard + "' to '"
          + newShard + "'", e);
    } finally {
      // Also after a failure: the switch may have committed although the driver reported an error.
      invalidate(tenant);
    }
  }

  /**
   * Forgets a tenant (after it was purged); it gets no connections afterwards.
   *
   * @param tenant the tenant
   * @return {@code true} if it was placed
   * @throws ShardDirectoryAccessException if the table cannot be written
   */
  public boolean remove(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(deleteSql)) {
      delete.setObject(1, tenant.value());
      int removed = delete.executeUpdate();
      commitIfNeeded(connection);
      return removed == 1;
    } catch (SQLException e) {
      throw new ShardDirectoryAccessException("remove tenant " + tenant, e);
    } finally {
      invalidate(tenant);
    }
  }

  /**
   * Every placement, read from the table (never cached): for administrators and reports.
   *
   * @return tenant → shard, ordered by tenant id
   * @throws ShardDirectoryAccessException if the table cannot be read
   */
  public Map<TenantId, String> assignments() {
    Map<TenantId, String> all = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(selectAllSql);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        all.put(TenantId.of(rows.getString(1)), rows.getString(2));
      }
      commitIfNeeded(connection);
    } catch (SQLException e) {
      throw new ShardDirectoryAccessException("list the shard assignments", e);
    }
    return all;
  }

  /**
   * {@inheritDoc}
   *
   * @return the cache TTL plus one second, or zero when the cache is off
   */
  @Override
  public Duration propagationDelay() {
    return cacheTtl.isZero() ? Duration.ZERO : cacheTtl.plus(READ_SLACK);
  }

  private Optional<String> load(TenantId tenant) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(selectSql)) {
      select.setObject(1, tenant.value());
      try (ResultSet row = select.executeQuery()) {
        Optional<String> shard = row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        commitIfNeeded(connection);
        return shard;
      }
    } catch (SQLException e) {
      throw new ShardDirectoryAccessException("read the shard of tenant " + tenant, e);
    }
  }

  private void invalidate(TenantId tenant) {
    if (cache != null) {
      cache.invalidate(tenant);
    }
  }

  private static void commitIfNeeded(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  private static void requireShard(String shard, String name) {
    Objects.requireNonNull(shard, name);
    if (shard.isBlank() || shard.length() > MAX_SHARD_LENGTH) {
      throw new IllegalArgumentException(name + " must be 1 to " + MAX_SHARD_LENGTH + " characters and not blank;"
          + " was '" + shard + "'");
    }
  }

  @Override
  public String toString() {
    return "JdbcShardDirectory[schema=" + schema + ", cacheTtl=" + cacheTtl + "]";
  }

  /** Configures a {@link JdbcShardDirectory}; {@link #build()} checks the options and migrates the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = "tenancy_shards";
    private Duration cacheTtl = Duration.ofSeconds(5);
    private long cacheMaximumSize = 100_000;
    private boolean migrate = true;
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {
    }

    /**
     * The raw (platform, admin) DataSource the directory reads and writes its table with — never a tenant-bound one.
     *
     * @param dataSource a PostgreSQL or H2 DataSource, normally a HikariCP pool
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The schema of the table and its migration history; created if missing.
     *
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default {@code tenancy_shards}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * How long an instance keeps a tenant's shard before reading it again — the longest another instance may route a
     * moved tenant to its old place. Shorter is fresher and costs a query per tenant more often.
     *
     * @param ttl zero (no cache) or positive; default 5 seconds
     * @return this builder
     */
    public Builder cacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must be zero or positive, was " + ttl);
      }
      this.cacheTtl = ttl;
      return this;
    }

    /**
     * @param size the most tenants cached at once; default 100 000
     * @return this builder
     */
    public Builder cacheMaximumSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("cacheMaximumSize must be at least 1, was " + size);
      }
      this.cacheMaximumSize = size;
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/jdbc/move/} are applied by other means.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean enabled) {
      this.migrate = enabled;
      return this;
    }

    /** The clock the cache TTL runs on; for tests. */
    Builder ticker(Ticker clock) {
      this.ticker = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Checks the options and migrates the table (unless turned off).
     *
     * @return the directory
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if the schema name is invalid
     * @throws TenancyConfigurationException if the database is neither PostgreSQL nor H2
     * @throws ShardDirectoryAccessException if the database cannot be reached or migrated
     */
    public JdbcShardDirectory build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcShardDirectory");
      LibraryMigrations.Database database;
      try (Connection connection = source.getConnection()) {
        database = LibraryMigrations.detect(connection, "JdbcShardDirectory", "MutableShardDirectory");
      } catch (SQLException e) {
        throw new ShardDirectoryAccessException("connect to its database", e);
      }
      if (migrate) {
        try {
          LibraryMigrations.migrate(source, schema, HISTORY_TABLE,
              "classpath:dev/tenancy/jdbc/move/" + database.folder(), JdbcShardDirectory.class.getClassLoader());
        } catch (FlywayException e) {
          throw new ShardDirectoryAccessException("Migrating the shard directory table in schema '" + schema
              + "' failed: " + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table,"
              + " a modified migration) and start again", e);
        }
      }
      return new JdbcShardDirectory(source, this);
    }
  }
}
