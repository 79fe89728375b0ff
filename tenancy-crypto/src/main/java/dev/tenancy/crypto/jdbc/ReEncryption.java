package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.TenantCipher;
import dev.tenancy.crypto.TenantCryptoException;
import dev.tenancy.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Re-encrypts one tenant's encrypted columns of a table under the tenant's current key version, so that after
 * {@code TenantKeys.rotate} the old versions can be retired. It walks the table in primary-key order (keyset
 * pagination, {@code WHERE pk > last ORDER BY pk LIMIT n}), one transaction per batch, and rewrites only values whose
 * ciphertext header names an older version than the one current when the run started: re-running touches nothing
 * already current, and a run that stopped half-way (crash, deploy) is finished by simply running it again.
 *
 * <p>Each value is updated with a compare-and-set ({@code WHERE pk = ? AND column = <the ciphertext read>}), so a
 * value the application rewrote in the meantime (already under the current version) is left alone instead of being
 * overwritten with stale data; no rows are locked.
 *
 * <p>Columns hold either the text form ({@link TenantCipher#encryptString}, e.g. what {@link EncryptedColumns} writes)
 * or the binary form ({@link TenantCipher#encrypt}); SQL {@code NULL} is skipped. Table and column names are checked
 * against {@code [A-Za-z_][A-Za-z0-9_]*} (the table may be {@code schema.table}) and quoted, so they are matched
 * case-sensitively: write them as the database stores them (lower case on PostgreSQL).
 *
 * <pre>{@code
 * ReEncryption leads = ReEncryption.builder(cipher, dataSource)
 *     .table("leads").primaryKey("id").tenantColumn("tenant_id")
 *     .column("email", "leads.email").column("phone", "leads.phone")
 *     .batchSize(500)
 *     .build();
 * keys.rotate(tenant);
 * ReEncryption.Result result = leads.run(tenant);   // run again until result.valuesReEncrypted() == 0
 * }</pre>
 *
 * <p>Thread-safe; run one walker per tenant and table at a time (two concurrent runs are safe, only wasteful).
 */
public final class ReEncryption {

  /** Largest batch: bounds the transaction a batch holds open. */
  public static final int MAX_BATCH_SIZE = 10_000;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final TenantCipher cipher;
  private final DataSource dataSource;
  private final String table;
  private final String primaryKey;
  private final @Nullable String tenantColumn;
  private final List<String> columns;
  private final List<String> purposes;
  private final int batchSize;
  private final String firstBatchSql;
  private final String nextBatchSql;

  private ReEncryption(Builder builder, String table, String primaryKey) {
    this.cipher = builder.cipher;
    this.dataSource = builder.dataSource;
    this.table = table;
    this.primaryKey = primaryKey;
    this.tenantColumn = builder.tenantColumn == null ? null : SqlIdentifiers.quote(builder.tenantColumn);
    this.columns = new ArrayList<>();
    this.purposes = new ArrayList<>();
    builder.columns.forEach((column, purpose) -> {
      columns.add(SqlIdentifiers.quote(column));
      purposes.add(purpose);
    });
    this.batchSize = builder.batchSize;
    String select = "SELECT " + primaryKey + ", " + String.join(", ", columns) + " FROM " + table + " WHERE ";
    String tenantFilter = tenantColumn == null ? "" : tenantColumn + " = ? AND ";
    String order = " ORDER BY " + primaryKey + " LIMIT ?";
    this.firstBatchSql = select + tenantFilter + "1 = 1" + order;
    this.nextBatchSql = select + tenantFilter + primaryKey + " > ?" + order;
  }

  /**
   * @param cipher the cipher whose keys encrypted the columns
   * @param dataSource where the table is: a tenant-bound DataSource (RLS, schema per tenant) or the platform one
   * @return a builder; {@link Builder#table}, {@link Builder#primaryKey} and at least one {@link Builder#column} are
   *     required
   */
  public static Builder builder(TenantCipher cipher, DataSource dataSource) {
    return new Builder(Objects.requireNonNull(cipher, "cipher"), Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Re-encrypts the tenant's values that are not under its current key version.
   *
   * @param tenant the tenant whose rows are walked
   * @return what the run did
   * @throws ReEncryptionFailedException if the database fails or a value is not a ciphertext of this tenant and
   *     column; batches committed before stay committed, the failing one is rolled back
   */
  public Result run(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    int target = cipher.currentKeyVersion(tenant);
    long scanned = 0;
    long rowsUpdated = 0;
    long values = 0;
    int batches = 0;
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        Object last = null;
        while (true) {
          Batch batch = batch(connection, tenant, target, last);
          connection.commit();
          batches++;
          scanned += batch.rows;
          rowsUpdated += batch.rowsUpdated;
          values += batch.values;
          if (batch.rows < batchSize) {
            break;
          }
          last = batch.last;
        }
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new ReEncryptionFailedException("Re-encrypting " + table + " for tenant " + tenant + " failed (SQLState "
          + e.getSQLState() + ": " + e.getMessage() + "); committed batches are kept, run it again once the cause is"
          + " fixed", e);
    }
    return new Result(target, scanned, rowsUpdated, values, batches);
  }

  private Batch batch(Connection connection, TenantId tenant, int target, @Nullable Object after)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(after == null ? firstBatchSql : nextBatchSql)) {
      int parameter = 1;
      if (tenantColumn != null) {
        select.setObject(parameter++, tenant.value());
      }
      if (after != null) {
        select.setObject(parameter++, after);
      }
      select.setInt(parameter, batchSize);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          Object[] row = new Object[columns.size() + 1];
          for (int i = 0; i < row.length; i++) {
            row[i] = result.getObject(i + 1);
          }
          rows.add(row);
        }
      }
    }
    Batch batch = new Batch();
    batch.rows = rows.size();
    for (Object[] row : rows) {
      batch.last = row[0];
      List<Integer> stale = new ArrayList<>();
      List<Object> fresh = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        Object stored = row[c + 1];
        if (stored != null && version(stored, row[0], c) < target) {
          stale.add(c);
          fresh.add(reEncrypt(tenant, c, stored, row[0]));
        }
      }
      if (!stale.isEmpty() && update(connection, tenant, row, stale, fresh) > 0) {
        batch.rowsUpdated++;
        batch.values += stale.size();
      }
    }
    return batch;
  }

  private int update(Connection connection, TenantId tenant, Object[] row, List<Integer> stale, List<Object> fresh)
      throws SQLException {
    // Built only from the quoted, validated identifiers above; every value is a parameter.
    StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
    StringBuilder where = new StringBuilder(" WHERE ").append(primaryKey).append(" = ?");
    for (int i = 0; i < stale.size(); i++) {
      String column = columns.get(stale.get(i));
      sql.append(i == 0 ? "" : ", ").append(column).append(" = ?");
      where.append(" AND ").append(column).append(" = ?");
    }
    if (tenantColumn != null) {
      where.append(" AND ").append(tenantColumn).append(" = ?");
    }
    try (PreparedStatement update = connection.prepareStatement(sql.append(where).toString())) {
      int parameter = 1;
      for (Object value : fresh) {
        update.setObject(parameter++, value);
      }
      update.setObject(parameter++, row[0]);
      for (int c : stale) {
        update.setObject(parameter++, row[c + 1]);
      }
      if (tenantColumn != null) {
        update.setObject(parameter, tenant.value());
      }
      return update.executeUpdate();
    }
  }

  private int version(Object stored, Object key, int column) {
    try {
      if (stored instanceof String text) {
        return TenantCipher.keyVersionOf(text);
      }
      if (stored instanceof byte[] bytes) {
        return TenantCipher.keyVersionOf(bytes);
      }
    } catch (IllegalArgumentException e) {
      throw new ReEncryptionFailedException(where(key, column) + " holds no TenantCipher ciphertext ("
          + e.getMessage() + "); fix or clear that value and run again", e);
    }
    throw new ReEncryptionFailedException(where(key, column) + " is a " + stored.getClass().getSimpleName()
        + "; encrypted columns are text (base64url) or binary");
  }

  private Object reEncrypt(TenantId tenant, int column, Object stored, Object key) {
    String purpose = purposes.get(column);
    try {
      if (stored instanceof String text) {
        return cipher.encryptString(tenant, purpose, cipher.decryptString(tenant, purpose, text));
      }
      return cipher.encrypt(tenant, purpose, cipher.decrypt(tenant, purpose, (byte[]) stored));
    } catch (TenantCryptoException e) {
      throw new ReEncryptionFailedException(where(key, column) + " of tenant " + tenant + " does not decrypt as '"
          + purpose + "' (" + e.getClass().getSimpleName() + "); it was altered, copied from another column or"
          + " tenant, or its key version is gone. Nothing of this batch was written", e);
    }
  }

  private String where(Object key, int column) {
    return "Column " + columns.get(column) + " of " + table + " row " + primaryKey + " = " + key;
  }

  @Override
  public String toString() {
    return "ReEncryption[" + table + " " + columns + ", batch " + batchSize + "]";
  }

  /** What one batch did; mutable, local to a run. */
  private static final class Batch {
    int rows;
    long rowsUpdated;
    long values;
    @Nullable Object last;
  }

  /**
   * What a run did.
   *
   * @param targetVersion the tenant's current key version when the run started; values below it were re-encrypted
   * @param rowsScanned rows of the tenant read
   * @param rowsUpdated rows written (at least one value re-encrypted)
   * @param valuesReEncrypted column values re-encrypted; 0 means the table is done for this tenant
   * @param batches transactions committed (the last one may be empty)
   */
  public record Result(int targetVersion, long rowsScanned, long rowsUpdated, long valuesReEncrypted, int batches) {}

  /** Configures a {@link ReEncryption}; names are checked in {@link #build()}. */
  public static final class Builder {

    private final TenantCipher cipher;
    private final DataSource dataSource;
    private @Nullable String table;
    private @Nullable String primaryKey;
    private @Nullable String tenantColumn;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private int batchSize = 500;

    private Builder(TenantCipher cipher, DataSource dataSource) {
      this.cipher = cipher;
      this.dataSource = dataSource;
    }

    /**
     * @param table the table, optionally {@code schema.table}
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * @param column a unique, ordered, non-null column (the primary key) to paginate on
     * @return this builder
     */
    public Builder primaryKey(String column) {
      this.primaryKey = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * The column holding the tenant id ({@code UUID}) in a shared table. Leave it unset only when the DataSource
     * shows just this tenant's rows (row-level security or schema per tenant); otherwise other tenants' values make
     * the run fail.
     *
     * @param column the tenant id column
     * @return this builder
     */
    public Builder tenantColumn(String column) {
      this.tenantColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * An encrypted column and the purpose its values were encrypted for.
     *
     * @param column the column name
     * @param purpose the purpose, e.g. {@code leads.email}
     * @return this builder
     */
    public Builder column(String column, String purpose) {
      Objects.requireNonNull(column, "column");
      if (Objects.requireNonNull(purpose, "purpose").isBlank()) {
        throw new IllegalArgumentException("purpose of column '" + column + "' must not be blank");
      }
      if (columns.putIfAbsent(column, purpose) != null) {
        throw new IllegalArgumentException("column '" + column + "' is given twice");
      }
      return this;
    }

    /**
     * @param rows rows per batch and transaction, 1 to {@value #MAX_BATCH_SIZE}; default 500
     * @return this builder
     */
    public Builder batchSize(int rows) {
      if (rows < 1 || rows > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("batchSize must be 1 to " + MAX_BATCH_SIZE + ", was " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /**
     * @return the walker
     * @throws IllegalStateException if the table, primary key or columns are missing
     * @throws IllegalArgumentException if a name is not a plain SQL identifier, or the primary key or tenant column
     *     is also given as an encrypted column
     */
    public ReEncryption build() {
      String tableName = table;
      String key = primaryKey;
      if (tableName == null || key == null || columns.isEmpty()) {
        throw new IllegalStateException("ReEncryption needs table(...), primaryKey(...) and at least one"
            + " column(...)");
      }
      String[] parts = tableName.split("\\.", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException("table must be 'table' or 'schema.table', was '" + tableName + "'");
      }
      for (String part : parts) {
        check("table", part);
      }
      check("primaryKey", key);
      if (tenantColumn != null) {
        check("tenantColumn", tenantColumn);
      }
      for (String column : columns.keySet()) {
        check("column", column);
        if (column.equals(key) || column.equals(tenantColumn)) {
          throw new IllegalArgumentException("column '" + column + "' is the primary key or tenant column; it cannot"
              + " also be encrypted");
        }
      }
      return new ReEncryption(this, SqlIdentifiers.quoteQualified(tableName), SqlIdentifiers.quote(key));
    }

    private static void check(String what, String name) {
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException(what + " must be a plain SQL identifier (letters, digits and '_', not"
            + " starting with a digit, at most 63), was '" + name + "'");
      }
    }
  }
}
