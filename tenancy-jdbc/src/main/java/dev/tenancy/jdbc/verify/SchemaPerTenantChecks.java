package dev.tenancy.jdbc.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The checks that matter for schema per tenant, read from the standard {@code INFORMATION_SCHEMA}: every tenant schema
 * holds the same tables, and the shared schema — where an unqualified name may land when a tenant schema lacks the
 * table — holds nothing tenant-shaped. Row-level concerns (policies, unique indexes, sequences) do not apply: each
 * tenant has its own tables.
 */
final class SchemaPerTenantChecks {

  private final String column;
  private final List<TableName> declared;
  private final String prefix;
  private final String sharedSchema;

  SchemaPerTenantChecks(String column, List<TableName> declared, String prefix, String sharedSchema) {
    this.column = column;
    this.declared = declared;
    this.prefix = prefix;
    this.sharedSchema = sharedSchema;
  }

  IsolationReport run(Connection connection) throws SQLException {
    Map<String, Set<String>> tablesBySchema = new TreeMap<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select schema_name from information_schema.schemata");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        tablesBySchema.put(rows.getString(1), new LinkedHashSet<>());
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "select table_schema, table_name from information_schema.tables where table_type in ('BASE TABLE', 'TABLE')"
            + " order by table_schema, table_name");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        tablesBySchema.computeIfAbsent(rows.getString(1), schema -> new LinkedHashSet<>()).add(rows.getString(2));
      }
    }
    List<String> tenantSchemas = tablesBySchema.keySet().stream()
        .filter(schema -> schema.regionMatches(true, 0, prefix, 0, prefix.length())).toList();
    List<Finding> findings = new ArrayList<>();
    if (tenantSchemas.isEmpty()) {
      findings.add(new Finding(FindingType.NO_TENANT_TABLES, "schemas " + prefix + "*", "No schema starts with "
          + prefix + ", so nothing was verified. Provision a tenant first, or set tenantSchemaPrefix(…)."));
    }
    Set<String> expected = new LinkedHashSet<>();
    declared.forEach(table -> expected.add(table.name()));
    if (declared.isEmpty()) {
      tenantSchemas.forEach(schema -> expected.addAll(tablesBySchema.get(schema)));
    }
    List<String> checked = new ArrayList<>();
    for (String schema : tenantSchemas) {
      for (String table : expected) {
        String present = find(tablesBySchema.get(schema), table);
        if (present == null) {
          findings.add(new Finding(FindingType.TENANT_TABLE_MISSING, schema + "." + table, "Tenant schema " + schema
              + " has no table " + table + " although the other tenants have it; an unqualified query may then read"
              + " another schema's table or fail. Run the tenant migrations for " + schema + "."));
        } else {
          checked.add(schema + "." + present);
        }
      }
    }
    Set<String> tenantShaped = tablesWithColumn(connection, sharedSchema);
    for (String table : tablesBySchema.getOrDefault(findSchema(tablesBySchema.keySet()), Set.of())) {
      boolean sameName = find(expected, table) != null;
      if (sameName || tenantShaped.contains(table)) {
        findings.add(new Finding(FindingType.SHARED_TENANT_TABLE, sharedSchema + "." + table, "Shared schema "
            + sharedSchema + " holds " + table + (sameName ? ", a table every tenant schema has" : ", which has a "
            + column + " column") + ": tenant data there is visible to every tenant, and an unqualified query falls"
            + " back to it when the search path includes " + sharedSchema + ". Move the data into the tenant schemas"
            + " and drop the table."));
      }
    }
    return new IsolationReport(checked, findings);
  }

  private Set<String> tablesWithColumn(Connection connection, String schema) throws SQLException {
    Set<String> tables = new LinkedHashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select table_name from information_schema.columns where upper(table_schema) = ? and upper(column_name) = ?")) {
      statement.setString(1, schema.toUpperCase(Locale.ROOT));
      statement.setString(2, column.toUpperCase(Locale.ROOT));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
    }
    return tables;
  }

  private String findSchema(Set<String> schemas) {
    String found = find(schemas, sharedSchema);
    return found == null ? sharedSchema : found;
  }

  /** H2 folds unquoted names to upper case, so names the user typed are compared ignoring case. */
  private static @Nullable String find(Set<String> names, String name) {
    for (String candidate : names) {
      if (candidate.equalsIgnoreCase(name)) {
        return candidate;
      }
    }
    return null;
  }
}
