package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.DataKeyConflictException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenantKeyStore} in PostgreSQL or H2: one row per tenant and key version in
 * {@code <schema>.tenant_data_keys} holding the KEK id and the wrapped key — never a raw key. A copy of the table (a
 * dump, a backup, a replica) decrypts nothing without the KEK.
 *
 * <p><b>Writes.</b> {@link #add} is a plain {@code INSERT}: the primary key {@code (tenant_id, version)} makes exactly
 * one of several concurrent adds of the same version win; the others get {@link DataKeyConflictException}.
 * {@link #rewrap} updates the KEK id and wrapped bytes of an existing row and keeps its {@code created_at}; a missing
 * row is refused with {@link DataKeyConflictException}, so a re-wrap racing a {@link #destroy} never resurrects a
 * shredded key. {@link #destroy} deletes the tenant's rows and returns how many it deleted. Time stamps keep
 * microseconds.
 *
 * <p><b>Tables.</b> {@link Builder#build()} creates or upgrades the table with versioned Flyway migrations
 * ({@code dev/tenancy/crypto/jdbc/}) in the store's schema (default {@code tenancy_crypto}) under its own history
 * table {@value #HISTORY_TABLE}; it may share a schema with tenancy-jdbc's stores. Give it the platform (admin)
 * DataSource, never a tenant-bound one: keys of all tenants live side by side, and KEK rotation walks them all.
 *
 * <p>The store logs nothing, and its exceptions name tenants and versions, never key bytes.
 *
 * <pre>{@code
 * TenantKeyStore keys = JdbcTenantKeyStore.builder().dataSource(adminDataSource).build();
 * }</pre>
 */
public final class JdbcTenantKeyStore implements TenantKeyStore {

  /** The Flyway history table of the store's own migrations, in the store's schema. */
  public static final String HISTORY_TABLE = "tenancy_crypto_schema_history";

  /** The longest KEK id the table holds ({@code kek_id VARCHAR(200)}). */
  public static final int MAX_KEK_ID_LENGTH = 200;

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS = "tenant_id, version, kek_id, wrapped_key, created_at";

  private final DataSource dataSource;
  private final Database database;
  private final String schema;
  private final String insertSql;
  private final String selectOneSql;
  private final String selectVersionsSql;
  private final String updateSql;
  private final String deleteSql;
  private final String retireSql;
  private final String selectTenantsSql;

  private JdbcTenantKeyStore(DataSource dataSource, Database database, String schema) {
    this.dataSource = dataSource;
    this.database = database;
    this.schema = schema;
    String table = SqlIdentifiers.quote(schema) + ".tenant_data_keys";
    this.insertSql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    this.selectOneSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? AND version = ?";
    this.selectVersionsSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? ORDER BY version";
    this.updateSql = "UPDATE " + table + " SET kek_id = ?, wrapped_key = ? WHERE tenant_id = ? AND version = ?";
    this.deleteSql = "DELETE FROM " + table + " WHERE tenant_id = ?";
    this.retireSql = "DELETE FROM " + table + " WHERE tenant_id = ? AND version = ?";
    this.selectTenantsSql = "SELECT DISTINCT tenant_id FROM " + table + " ORDER BY tenant_id";
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws DataKeyConflictException if the tenant already has that version (the stored key is unchanged)
   * @throws IllegalArgumentException if the KEK id is longer than {@value #MAX_KEK_ID_LENGTH} characters
   * @throws KeyStoreAccessException if the row cannot be written for another reason
   */
  @Override
  public void add(TenantDataKey key) {
    Objects.requireNonNull(key, "key");
    checkKekId(key.wrapped());
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(insertSql)) {
      insert.setObject(1, key.tenant().value());
      insert.setInt(2, key.version());
      insert.setString(3, key.wrapped().keyId());
      insert.setBytes(4, key.wrapped().ciphertext());
      insert.setObject(5, OffsetDateTime.ofInstant(key.createdAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
      insert.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new DataKeyConflictException(key.tenant(), key.version(), "Tenant " + key.tenant()
            + " already has data key version " + key.version() + "; key versions are written once: read"
            + " versions(tenant) and add the next free version, or call rewrap(...) to wrap the existing version"
            + " under a new KEK");
      }
      throw new KeyStoreAccessException("store data key version " + key.version() + " of tenant " + key.tenant(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyStoreAccessException if the table cannot be read
   */
  @Override
  public Optional<TenantDataKey> find(TenantId tenant, int version) {
    Objects.requireNonNull(tenant, "tenant");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(selectOneSql)) {
      query.setObject(1, tenant.value());
      query.setInt(2, version);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(key(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new KeyStoreAccessException("read data key version " + version + " of tenant " + tenant, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyStoreAccessException if the table cannot be read
   */
  @Override
  public List<TenantDataKey> versions(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(selectVersionsSql)) {
      query.setObject(1, tenant.value());
      List<TenantDataKey> keys = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          keys.add(key(rows));
        }
      }
      return List.copyOf(keys);
    } catch (SQLException e) {
      throw new KeyStoreAccessException("list the data key versions of tenant " + tenant, e);
    }
  }

  /**
   * {@inheritDoc} The stored {@code created_at} is kept; the given key's {@code createdAt} is ignored.
   *
   * @throws DataKeyConflictException if the tenant has no such version (nothing is written)
   * @throws IllegalArgumentException if the KEK id is longer than {@value #MAX_KEK_ID_LENGTH} characters
   * @throws KeyStoreAccessException if the row cannot be written
   */
  @Override
  public void rewrap(TenantDataKey key) {
    Objects.requireNonNull(key, "key");
    checkKekId(key.wrapped());
    int updated;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(updateSql)) {
      update.setString(1, key.wrapped().keyId());
      update.setBytes(2, key.wrapped().ciphertext());
      update.setObject(3, key.tenant().value());
      update.setInt(4, key.version());
      updated = update.executeUpdate();
    } catch (SQLException e) {
      throw new KeyStoreAccessException("re-wrap data key version " + key.version() + " of tenant " + key.tenant(),
          e);
    }
    if (updated == 0) {
      throw new DataKeyConflictException(key.tenant(), key.version(), "Tenant " + key.tenant()
          + " has no data key version " + key.version() + " to re-wrap: it was never added or has been destroyed"
          + " (crypto-shredded); a destroyed key is never brought back");
    }
  }

  /**
   * {@inheritDoc} The rows are deleted in one statement; see {@code docs/crypto-jdbc.md} for what that means for
   * backups of this table.
   *
   * @throws KeyStoreAccessException if the rows cannot be deleted (none are)
   */
  @Override
  public int destroy(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(deleteSql)) {
      delete.setObject(1, tenant.value());
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new KeyStoreAccessException("destroy the data keys of tenant " + tenant, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyStoreAccessException if the row cannot be deleted
   */
  @Override
  public int retire(TenantId tenant, int version) {
    Objects.requireNonNull(tenant, "tenant");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(retireSql)) {
      delete.setObject(1, tenant.value());
      delete.setInt(2, version);
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new KeyStoreAccessException("destroy data key version " + version + " of tenant " + tenant, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyStoreAccessException if the table cannot be read
   */
  @Override
  public List<TenantId> tenants() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(selectTenantsSql);
        ResultSet rows = query.executeQuery()) {
      List<TenantId> tenants = new ArrayList<>();
      while (rows.next()) {
        tenants.add(TenantId.of(rows.getObject(1, UUID.class)));
      }
      return List.copyOf(tenants);
    } catch (SQLException e) {
      throw new KeyStoreAccessException("list the tenants that have data keys", e);
    }
  }

  private static void checkKekId(WrappedKey wrapped) {
    if (wrapped.keyId().length() > MAX_KEK_ID_LENGTH) {
      throw new IllegalArgumentException("KEK ids are at most " + MAX_KEK_ID_LENGTH + " characters, was "
          + wrapped.keyId().length() + "; give the KeyEncryptionKeyProvider shorter key ids");
    }
  }

  private static TenantDataKey key(ResultSet row) throws SQLException {
    TenantId tenant = TenantId.of(row.getObject(1, UUID.class));
    WrappedKey wrapped = new WrappedKey(row.getString(3), row.getBytes(4));
    Instant createdAt = row.getObject(5, OffsetDateTime.class).toInstant();
    return new TenantDataKey(tenant, row.getInt(2), wrapped, createdAt);
  }

  @Override
  public String toString() {
    return "JdbcTenantKeyStore[" + database.name().toLowerCase(Locale.ROOT) + ", schema=" + schema + "]";
  }

  /** The databases the store runs on; their names are the folders of the migration scripts. */
  private enum Database {
    POSTGRESQL,
    H2;

    static Database of(Connection connection) throws SQLException {
      return valueOf(LibraryMigrations.detect(connection, "JdbcTenantKeyStore", "TenantKeyStore").name());
    }

    String migrationLocation() {
      return "classpath:dev/tenancy/crypto/jdbc/" + LibraryMigrations.Database.valueOf(name()).folder();
    }
  }

  /** Configures a {@link JdbcTenantKeyStore}; {@link #build()} checks the options and migrates the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = "tenancy_crypto";
    private boolean migrate = true;

    private Builder() {
    }

    /**
     * The raw (platform, admin) DataSource the store reads and writes its table with — never a tenant-bound one.
     *
     * @param dataSource a PostgreSQL or H2 DataSource, normally a HikariCP pool
     * @return this builder
     * @throws IllegalArgumentException for a {@link TenantAwareDataSource}
     */
    public Builder dataSource(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource");
      // Under RLS or schema-per-tenant a tenant-bound DataSource would show each tenant a different table, or none,
      // and KEK rotation must see every tenant's keys: refuse it outright rather than fail later per tenant.
      if (dataSource instanceof TenantAwareDataSource) {
        throw new IllegalArgumentException("JdbcTenantKeyStore needs the platform (admin) DataSource, not a"
            + " TenantAwareDataSource: pass the DataSource you wrapped in it");
      }
      this.dataSource = dataSource;
      return this;
    }

    /**
     * The schema of the table and its migration history; created if missing.
     *
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default {@code tenancy_crypto}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/crypto/jdbc/} are applied by other means.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean enabled) {
      this.migrate = enabled;
      return this;
    }

    /**
     * Checks the options and migrates the table (unless turned off).
     *
     * @return the store
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if the schema name is invalid
     * @throws TenancyConfigurationException if the database is neither PostgreSQL nor H2
     * @throws KeyStoreAccessException if the database cannot be reached or migrated
     */
    public JdbcTenantKeyStore build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcTenantKeyStore");
      Database database;
      try (Connection connection = source.getConnection()) {
        database = Database.of(connection);
      } catch (SQLException e) {
        throw new KeyStoreAccessException("connect to its database", e);
      }
      if (migrate) {
        try {
          LibraryMigrations.migrate(source, schema, HISTORY_TABLE, database.migrationLocation(),
              JdbcTenantKeyStore.class.getClassLoader());
        } catch (FlywayException e) {
          throw new KeyStoreAccessException("Migrating the tenant data key table in schema '" + schema + "' failed: "
              + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table, a modified"
              + " migration) and start again", e);
        }
      }
      return new JdbcTenantKeyStore(source, database, schema);
    }
  }
}
