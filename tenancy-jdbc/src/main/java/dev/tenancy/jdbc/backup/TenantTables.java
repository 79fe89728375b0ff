package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tables that hold a tenant's rows at one place, found through JDBC metadata on a connection bound to the tenant,
 * in foreign-key load order (parents first).
 *
 * <pre>{@code
 * TenantTables tables = TenantTables.discover(dataSource, acme);      // opens acme's scope itself
 * for (TenantTable table : tables.tables()) { ... }                   // parents before children
 * }</pre>
 *
 * <p>Which tables are the tenant's depends on the place ({@link PlaceKind}): under row-level security, the tables of
 * the connection's current schema that have the tenant column ({@value #DEFAULT_TENANT_COLUMN} unless told otherwise);
 * in a schema or database of the tenant's own, every table of the connection's current schema. Flyway's history table,
 * tables named {@code tenancy_*} and tenancy-crypto's wrapped-key table (recognised by its {@code kek_id} and
 * {@code wrapped_key} columns) are never included; keep Tenancy's other stores (tenants, audit, API keys, usage) in
 * their own schema, as they are by default. Foreign keys that point outside the set (e.g. to a shared lookup table) are
 * not followed.
 *
 * @since 0.1.0
 */
public final class TenantTables {

  /** The tenant column row-level security policies compare, unless configured otherwise. */
  public static final String DEFAULT_TENANT_COLUMN = "organization_id";

  private static final String FLYWAY_HISTORY = "flyway_schema_history";
  private static final String LIBRARY_PREFIX = "tenancy_";

  private final PlaceKind kind;
  private final String schema;
  private final String tenantColumn;
  private final List<TenantTable> tables;
  private final SqlDialect dialect;

  private TenantTables(PlaceKind kind, String schema, String tenantColumn, List<TenantTable> tables,
      SqlDialect dialect) {
    this.kind = kind;
    this.schema = schema;
    this.tenantColumn = tenantColumn;
    this.tables = List.copyOf(tables);
    this.dialect = dialect;
  }

  /**
   * Discovers a tenant's tables with the default tenant column {@value #DEFAULT_TENANT_COLUMN}.
   *
   * @param dataSource the place, a data source that binds connections to tenants
   * @param tenant the tenant; a scope for it is opened for the lookup
   * @return its tables in load order
   * @throws UnsupportedColumnTypeException if a tenant table has a column of an unsupported type
   * @throws ForeignKeyCycleException if the tables' foreign keys form a cycle that no load order satisfies
   * @throws TenantDataAccessException if the metadata cannot be read
   */
  public static TenantTables discover(TenantAwareDataSource dataSource, TenantInfo tenant) {
    return discover(dataSource, tenant, DEFAULT_TENANT_COLUMN);
  }

  /**
   * Discovers a tenant's tables.
   *
   * @param dataSource the place, a data source that binds connections to tenants
   * @param tenant the tenant; a scope for it is opened for the lookup
   * @param tenantColumn the column that holds the tenant id in shared tables (the one the RLS policies compare)
   * @return its tables in load order
   * @throws UnsupportedColumnTypeException if a tenant table has a column of an unsupported type
   * @throws ForeignKeyCycleException if the tables' foreign keys form a cycle that no load order satisfies
   * @throws TenantDataAccessException if the metadata cannot be read
   */
  public static TenantTables discover(TenantAwareDataSource dataSource, TenantInfo tenant, String tenantColumn) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tenantColumn, "tenantColumn");
    PlaceKind kind = Places.kindOf(dataSource, tenant);
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
      return discover(connection, kind, tenantColumn);
    } catch (SQLException e) {
      throw new TenantDataAccessException("read the table metadata of tenant " + tenant.id(), e);
    }
  }

  /** Discovers on a connection already bound to the tenant. */
  static TenantTables discover(Connection connection, PlaceKind kind, String tenantColumn) throws SQLException {
    SqlDialect dialect = SqlDialect.of(connection);
    String schema = connection.getSchema();
    if (schema == null) {
      throw new SQLException("The connection has no current schema; tenant tables are looked up in it");
    }
    DatabaseMetaData metadata = connection.getMetaData();
    List<String> names = tableNames(metadata, schema);
    TreeMap<String, TenantTable> found = new TreeMap<>();
    for (String name : names) {
      List<RawColumn> raw = columns(metadata, schema, name);
      if (isWrappedKeyTable(raw)) {
        continue; // tenancy-crypto's key table, wherever it was put: wrapped data keys must never travel with data
      }
      Optional<RawColumn> tenantRaw = raw.stream().filter(c -> c.name.equalsIgnoreCase(tenantColumn)).findFirst();
      if (kind.sharesTables() && tenantRaw.isEmpty()) {
        continue; // a shared table without the tenant column holds no tenant's rows (e.g. a lookup table)
      }
      List<TableColumn> columns = new ArrayList<>();
      for (RawColumn column : raw) {
        if (column.generated && !column.autoIncrement) {
          continue; // computed from the other columns: neither readable into an insert nor part of the data
        }
        ColumnType type = ColumnType.of(column.jdbcType, column.typeName)
            .orElseThrow(() -> new UnsupportedColumnTypeException(name, column.name, column.typeName));
        columns.add(new TableColumn(column.name, type, column.jdbcType, column.typeName, column.nullable,
            column.hasDefault || column.autoIncrement, column.autoIncrement));
      }
      found.put(name, new TenantTable(schema, name, columns, primaryKey(metadata, schema, name),
          tenantRaw.map(c -> c.name).orElse(null)));
    }
    List<ForeignKeyOrder.Edge> edges = new ArrayList<>();
    for (String name : found.keySet()) {
      try (ResultSet keys = metadata.getImportedKeys(null, schema, name)) {
        while (keys.next()) {
          String parentSchema = keys.getString("PKTABLE_SCHEM");
          String parent = keys.getString("PKTABLE_NAME");
          if (schema.equals(parentSchema) && found.containsKey(parent)) {
            boolean deferrable = keys.getShort("DEFERRABILITY") != DatabaseMetaData.importedKeyNotDeferrable;
            edges.add(new ForeignKeyOrder.Edge(name, parent, deferrable));
          }
        }
      }
    }
    List<TenantTable> ordered = new ArrayList<>();
    for (String name : ForeignKeyOrder.sort(found.keySet(), edges)) {
      ordered.add(found.get(name));
    }
    return new TenantTables(kind, schema, tenantColumn, ordered, dialect);
  }

  private static List<String> tableNames(DatabaseMetaData metadata, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rows = metadata.getTables(null, escape(metadata, schema), "%",
        new String[] {"TABLE", "PARTITIONED TABLE", "BASE TABLE"})) {
      while (rows.next()) {
        String name = rows.getString("TABLE_NAME");
        // The schema argument is a LIKE pattern: compare exactly, '_' in tenant_acme would match any character.
        if (schema.equals(rows.getString("TABLE_SCHEM")) && !isLibraryTable(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** Flyway's history and Tenancy's own tables: never a tenant's data (and wrapped data keys must never travel). */
  static boolean isLibraryTable(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(FLYWAY_HISTORY) || lower.startsWith(LIBRARY_PREFIX);
  }

  /**
   * tenancy-crypto's {@code tenant_data_keys} (recognised by its {@code kek_id} and {@code wrapped_key} columns, since
   * its schema is configurable): an archive that carried a tenant's wrapped keys would undo crypto-shredding.
   */
  private static boolean isWrappedKeyTable(List<RawColumn> columns) {
    boolean kekId = columns.stream().anyMatch(c -> c.name.equalsIgnoreCase("kek_id"));
    boolean wrapped = columns.stream().anyMatch(c -> c.name.equalsIgnoreCase("wrapped_key"));
    return kekId && wrapped;
  }

  private static List<RawColumn> columns(DatabaseMetaData metadata, String schema, String table) throws SQLException {
    List<RawColumn> columns = new ArrayList<>();
    try (ResultSet rows = metadata.getColumns(null, escape(metadata, schema), escape(metadata, table), "%")) {
      while (rows.next()) {
        if (!schema.equals(rows.getString("TABLE_SCHEM")) || !table.equals(rows.getString("TABLE_NAME"))) {
          continue;
        }
        columns.add(new RawColumn(rows.getInt("ORDINAL_POSITION"), rows.getString("COLUMN_NAME"),
            rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"),
            rows.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
            rows.getString("COLUMN_DEF") != null,
            "YES".equalsIgnoreCase(rows.getString("IS_AUTOINCREMENT")),
            "YES".equalsIgnoreCase(rows.getString("IS_GENERATEDCOLUMN"))));
      }
    }
    columns.sort((a, b) -> Integer.compare(a.position, b.position));
    return columns;
  }

  private static List<String> primaryKey(DatabaseMetaData metadata, String schema, String table) throws SQLException {
    TreeMap<Short, String> key = new TreeMap<>();
    try (ResultSet rows = metadata.getPrimaryKeys(null, schema, table)) {
      while (rows.next()) {
        key.put(rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(key.values());
  }

  private static String escape(DatabaseMetaData metadata, String name) throws SQLException {
    String escape = metadata.getSearchStringEscape();
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  /** @return what kind of place the tables were found at */
  public PlaceKind kind() {
    return kind;
  }

  /** @return the schema the tables live in */
  public String schema() {
    return schema;
  }

  /** @return the tenant column's name (the one shared tables must have) */
  public String tenantColumn() {
    return tenantColumn;
  }

  /** @return the tables in foreign-key load order, parents first; delete in reverse */
  public List<TenantTable> tables() {
    return tables;
  }

  /**
   * @param name a table name (compared ignoring case, so H2's upper-case names match PostgreSQL's lower-case ones)
   * @return the table, or empty
   */
  public Optional<TenantTable> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst()
        .or(() -> tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst());
  }

  SqlDialect dialect() {
    return dialect;
  }

  @Override
  public String toString() {
    return "TenantTables[" + kind + " " + schema + ": " + tables.stream().map(TenantTable::name).toList() + "]";
  }

  private record RawColumn(int position, String name, int jdbcType, String typeName, boolean nullable,
      boolean hasDefault, boolean autoIncrement, boolean generated) {
  }
}
