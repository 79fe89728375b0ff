package dev.tenancy.jdbc.identity;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.ApiKey;
import dev.tenancy.core.spi.ApiKeyRecord;
import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiKeyStore} in PostgreSQL or H2: one row per key in {@code <schema>.api_keys}, holding the key's
 * metadata and the 32-byte SHA-256 of the key text — never the secret. A check constraint refuses any other length in
 * the hash column, so not even a mistake can store a key there.
 *
 * <p><b>No cache.</b> Every {@link #findById} is a primary-key query: {@code ApiKeyService} reads on each
 * authentication so that a revocation written by any instance refuses the key at once on all of them. Key exchange is
 * once per token, not per request, so this costs one indexed query per token issued.
 *
 * <p><b>Tables.</b> {@link Builder#build()} creates or upgrades the table with versioned Flyway migrations
 * ({@code dev/tenancy/jdbc/identity/}) in the store's schema (default {@code tenancy_identity}) under its own history
 * table {@value #HISTORY_TABLE}; it may share a schema with the other JDBC stores. Give it the platform (admin)
 * DataSource, never a tenant-bound one: keys of all tenants (and the platform's) live side by side.
 *
 * <pre>{@code
 * ApiKeyStore store = JdbcApiKeyStore.builder().dataSource(adminDataSource).build();
 * }</pre>
 */
public final class JdbcApiKeyStore implements ApiKeyStore {

  /** The Flyway history table of the store's own migrations, in the store's schema. */
  public static final String HISTORY_TABLE = "tenancy_api_keys_schema_history";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS =
      "id, tenant_id, subject, name, roles, secret_hash, created_at, expires_at, revoked_at";

  private final DataSource dataSource;
  private final Database database;
  private final String schema;
  private final String insertSql;
  private final String selectByIdSql;
  private final String selectByTenantSql;
  private final String selectPlatformSql;
  private final String revokeSql;
  private final String expireSql;
  private final String revokeAllSql;

  private JdbcApiKeyStore(DataSource dataSource, Database database, String schema) {
    this.dataSource = dataSource;
    this.database = database;
    this.schema = schema;
    String table = SqlIdentifiers.quote(schema) + ".api_keys";
    this.insertSql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.selectByIdSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
    this.selectByTenantSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? ORDER BY created_at, id";
    this.selectPlatformSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id IS NULL"
        + " ORDER BY created_at, id";
    this.revokeSql = "UPDATE " + table + " SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
    this.expireSql = "UPDATE " + table + " SET expires_at = ? WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)";
    this.revokeAllSql = "UPDATE " + table + " SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL";
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the row cannot be written for another reason than a taken id
   */
  @Override
  public boolean insert(ApiKeyRecord record) {
    Objects.requireNonNull(record, "record");
    ApiKey key = record.key();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(insertSql)) {
      insert.setString(1, key.id());
      setTenant(insert, 2, key.tenant());
      insert.setString(3, key.subject());
      insert.setString(4, key.name());
      insert.setString(5, String.join(",", new TreeSet<>(key.roles())));
      insert.setBytes(6, record.secretHash());
      setInstant(insert, 7, key.createdAt());
      setInstant(insert, 8, key.expiresAt());
      setInstant(insert, 9, key.revokedAt());
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw new ApiKeyStoreAccessException("store API key " + key.id(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the table cannot be read
   */
  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    Objects.requireNonNull(id, "id");
    try (Connection connection = dataSource.getConnection()) {
      return select(connection, id);
    } catch (SQLException e) {
      throw new ApiKeyStoreAccessException("read API key " + id, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the table cannot be read
   */
  @Override
  public List<ApiKeyRecord> findByTenant(@Nullable TenantId tenant) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(tenant == null ? selectPlatformSql
            : selectByTenantSql)) {
      if (tenant != null) {
        query.setObject(1, tenant.value());
      }
      List<ApiKeyRecord> records = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          records.add(record(rows));
        }
      }
      return records;
    } catch (SQLException e) {
      throw new ApiKeyStoreAccessException("list the API keys of " + (tenant == null ? "the platform"
          : "tenant " + tenant), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the table cannot be written
   */
  @Override
  public Optional<ApiKeyRecord> revoke(String id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement update = connection.prepareStatement(revokeSql)) {
        setInstant(update, 1, at);
        update.setString(2, id);
        update.executeUpdate();
      }
      return select(connection, id);
    } catch (SQLException e) {
      throw new ApiKeyStoreAccessException("revoke API key " + id, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the table cannot be written
   */
  @Override
  public Optional<ApiKeyRecord> expireBy(String id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement update = connection.prepareStatement(expireSql)) {
        setInstant(update, 1, at);
        update.setString(2, id);
        setInstant(update, 3, at);
        update.executeUpdate();
      }
      return select(connection, id);
    } catch (SQLException e) {
      throw new ApiKeyStoreAccessException("shorten the expiry of API key " + id, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApiKeyStoreAccessException if the table cannot be written
   */
  @Override
  public int revokeAll(TenantId tenant, Instant at) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(at, "at");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(revokeAllSql)) {
      setInstant(update, 1, at);
      update.setObject(2, tenant.value());
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new ApiKeyStoreAccessException("revoke the API keys of tenant " + tenant, e);
    }
  }

  private Optional<ApiKeyRecord> select(Connection connection, String id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(selectByIdSql)) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(record(rows)) : Optional.empty();
      }
    }
  }

  private static ApiKeyRecord record(ResultSet row) throws SQLException {
    UUID tenant = row.getObject(2, UUID.class);
    String roles = row.getString(5);
    Set<String> roleSet = roles.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(roles.split(",")));
    ApiKey key = new ApiKey(row.getString(1), tenant == null ? null : TenantId.of(tenant), row.getString(3),
        row.getString(4), roleSet, Objects.requireNonNull(instant(row, 7), "created_at"), instant(row, 8),
        instant(row, 9));
    return new ApiKeyRecord(key, row.getBytes(6));
  }

  private static void setTenant(PreparedStatement statement, int index, @Nullable TenantId tenant)
      throws SQLException {
    if (tenant == null) {
      statement.setNull(index, Types.OTHER);
    } else {
      statement.setObject(index, tenant.value());
    }
  }

  private static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  private static @Nullable Instant instant(ResultSet row, int index) throws SQLException {
    OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  @Override
  public String toString() {
    return "JdbcApiKeyStore[" + database.name().toLowerCase(Locale.ROOT) + ", schema=" + schema + "]";
  }

  /** The databases the store runs on; their names are the folders of the migration scripts. */
  private enum Database {
    POSTGRESQL,
    H2;

    static Database of(Connection connection) throws SQLException {
      return valueOf(LibraryMigrations.detect(connection, "JdbcApiKeyStore", "ApiKeyStore").name());
    }

    String migrationLocation() {
      return "classpath:dev/tenancy/jdbc/identity/" + LibraryMigrations.Database.valueOf(name()).folder();
    }
  }

  /** Configures a {@link JdbcApiKeyStore}; {@link #build()} checks the options and migrates the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = "tenancy_identity";
    private boolean migrate = true;

    private Builder() {
    }

    /**
     * The raw (platform, admin) DataSource the store reads and writes its table with — never a tenant-bound one.
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
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default
     *     {@code tenancy_identity}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/jdbc/identity/} are applied by other means.
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
     * @throws ApiKeyStoreAccessException if the database cannot be reached or migrated
     */
    public JdbcApiKeyStore build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcApiKeyStore");
      Database database;
      try (Connection connection = source.getConnection()) {
        database = Database.of(connection);
      } catch (SQLException e) {
        throw new ApiKeyStoreAccessException("connect to its database", e);
      }
      if (migrate) {
        try {
          LibraryMigrations.migrate(source, schema, HISTORY_TABLE, database.migrationLocation(),
              JdbcApiKeyStore.class.getClassLoader());
        } catch (FlywayException e) {
          throw new ApiKeyStoreAccessException("Migrating the API key table in schema '" + schema + "' failed: "
              + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table, a modified"
              + " migration) and start again", e);
        }
      }
      return new JdbcApiKeyStore(source, database, schema);
    }
  }
}
