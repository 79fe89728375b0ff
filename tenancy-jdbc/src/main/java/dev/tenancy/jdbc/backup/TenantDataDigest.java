package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A fingerprint of a tenant's data at one place: per table, the row count and a SHA-256 over the rows in primary-key
 * order in a canonical encoding. Equal digests mean the same data, whatever the place — a tenant copied from shared
 * RLS tables into a schema of its own has the same digest there, so a move or a restore can be verified by comparing
 * digests.
 *
 * <pre>{@code
 * TenantDataDigest before = TenantDataDigest.of(shared, acme);
 * TenantDataCopy.copy(acme, shared, ownSchema);
 * TenantDataDigest after = TenantDataDigest.of(ownSchema, acme);
 * if (!after.equals(before)) { ... after.differences(before) ... }
 * }</pre>
 *
 * <p>What is hashed: the table's column names (lower-case) and {@link ColumnType}s, sorted by name, then each row's
 * values in that column order in their canonical text (nulls marked), length-prefixed. The tenant column is left out
 * (its value is the tenant by construction, and a schema of the tenant's own may not have it at all) — unless a row's
 * tenant column names another tenant, which then changes the digest. All tables are read in one snapshot.
 *
 * @since 0.1.0
 */
public final class TenantDataDigest {

  private static final byte[] VERSION = "tenancy-digest-v1\n".getBytes(StandardCharsets.UTF_8);

  private final TreeMap<String, TableDigest> tables;

  private TenantDataDigest(List<TableDigest> tables) {
    this.tables = new TreeMap<>();
    for (TableDigest table : tables) {
      this.tables.put(table.table().toLowerCase(Locale.ROOT), table);
    }
  }

  /**
   * Reads the digest of a tenant's data with the default tenant column.
   *
   * @param dataSource the place
   * @param tenant the tenant; a scope for it is opened for the reading
   * @return the digest
   * @throws TenantDataAccessException if the rows cannot be read
   */
  public static TenantDataDigest of(TenantAwareDataSource dataSource, TenantInfo tenant) {
    return of(dataSource, tenant, TenantTables.DEFAULT_TENANT_COLUMN);
  }

  /**
   * Reads the digest of a tenant's data.
   *
   * @param dataSource the place
   * @param tenant the tenant; a scope for it is opened for the reading
   * @param tenantColumn the tenant column of shared tables
   * @return the digest
   * @throws TenantDataAccessException if the rows cannot be read
   */
  public static TenantDataDigest of(TenantAwareDataSource dataSource, TenantInfo tenant, String tenantColumn) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tenant, "tenant");
    PlaceKind kind = Places.kindOf(dataSource, tenant);
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
      TenantTables tables = TenantTables.discover(connection, kind, tenantColumn);
      try (Transactions snapshot = Transactions.snapshot(connection)) {
        return of(connection, tables, tenant.id());
      }
    } catch (SQLException e) {
      throw new TenantDataAccessException("read the digest of tenant " + tenant.id(), e);
    }
  }

  /** Digests on a connection bound to the tenant, inside a transaction the caller manages. */
  static TenantDataDigest of(Connection connection, TenantTables tables, TenantId tenant) throws SQLException {
    List<TableDigest> digests = new ArrayList<>();
    for (TenantTable table : tables.tables()) {
      digests.add(digest(connection, tables, table, tenant));
    }
    return new TenantDataDigest(digests);
  }

  private static TableDigest digest(Connection connection, TenantTables tables, TenantTable table, TenantId tenant)
      throws SQLException {
    List<TableColumn> columns = table.columns();
    int tenantIndex = -1;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(String.valueOf(table.tenantColumn()))) {
        tenantIndex = i;
      } else {
        order.add(i);
      }
    }
    order.sort(Comparator.comparing(i -> columns.get(i).name().toLowerCase(Locale.ROOT)));
    RowHasher hasher = new RowHasher();
    hasher.raw(VERSION);
    for (int i : order) {
      hasher.raw((columns.get(i).name().toLowerCase(Locale.ROOT) + ":" + columns.get(i).type() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    long rows = 0;
    try (TableReader reader = TableReader.open(connection, tables, table, tenant)) {
      while (reader.next()) {
        @Nullable Object[] values = reader.values();
        for (int i : order) {
          hasher.value(columns.get(i).type(), values[i]);
        }
        if (tenantIndex >= 0 && values[tenantIndex] != null
            && !TenantColumnValue.matches(values[tenantIndex], tenant)) {
          hasher.foreignTenant(values[tenantIndex].toString());
        }
        rows++;
      }
    }
    return new TableDigest(table.name(), rows, hasher.hex());
  }

  /** @return the digest of every table, sorted by table name */
  public List<TableDigest> tables() {
    return List.copyOf(tables.values());
  }

  /**
   * @param table a table name (ignoring case)
   * @return its digest, or empty if the place has no such tenant table
   */
  public Optional<TableDigest> table(String table) {
    return Optional.ofNullable(tables.get(table.toLowerCase(Locale.ROOT)));
  }

  /** @return the tenant's rows over all tables */
  public long rows() {
    return tables.values().stream().mapToLong(TableDigest::rows).sum();
  }

  /** @return the row count of each table, by table name */
  public Map<String, Long> rowCounts() {
    Map<String, Long> counts = new TreeMap<>();
    tables.values().forEach(t -> counts.put(t.table(), t.rows()));
    return counts;
  }

  /**
   * The tables whose digests differ (or that only one side has), for a message that says where two places disagree.
   *
   * @param other another digest
   * @return table names (lower-case), sorted; empty if the digests are equal
   */
  public List<String> differences(TenantDataDigest other) {
    TreeSet<String> names = new TreeSet<>(tables.keySet());
    names.addAll(other.tables.keySet());
    List<String> different = new ArrayList<>();
    for (String name : names) {
      TableDigest mine = tables.get(name);
      TableDigest theirs = other.tables.get(name);
      if (mine == null || theirs == null || mine.rows() != theirs.rows() || !mine.sha256().equals(theirs.sha256())) {
        different.add(name);
      }
    }
    return different;
  }

  /** Equal when every table (by name, ignoring case) has the same row count and hash. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TenantDataDigest digest && differences(digest).isEmpty();
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (Map.Entry<String, TableDigest> entry : tables.entrySet()) {
      hash = 31 * hash + entry.getKey().hashCode();
      hash = 31 * hash + entry.getValue().sha256().hashCode();
    }
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("TenantDataDigest[");
    tables.values().forEach(t -> text.append(' ').append(t.table()).append('=').append(t.rows()).append(':')
        .append(t.sha256(), 0, 12));
    return text.append(" ]").toString();
  }

  /** Feeds length-prefixed canonical values into SHA-256. */
  static final class RowHasher {
    private final MessageDigest sha256;
    private final ByteBuffer length = ByteBuffer.allocate(5);

    RowHasher() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 must be available on every Java platform", e);
      }
    }

    void raw(byte[] bytes) {
      sha256.update(bytes);
    }

    void value(ColumnType type, @Nullable Object value) {
      if (value == null) {
        sha256.update((byte) 0);
        return;
      }
      tagged((byte) 1, type.text(value));
    }

    void foreignTenant(String value) {
      tagged((byte) 2, value);
    }

    private void tagged(byte tag, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      length.clear();
      length.put(tag).putInt(bytes.length);
      sha256.update(length.array(), 0, 5);
      sha256.update(bytes);
    }

    String hex() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }
}
