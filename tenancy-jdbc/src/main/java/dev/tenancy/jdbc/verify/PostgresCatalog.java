package dev.tenancy.jdbc.verify;

import dev.tenancy.core.TenancyConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The facts about a PostgreSQL database that the isolation checks need, read from {@code pg_catalog} in a handful of
 * queries. Only reads; every value goes in as a bind parameter.
 */
final class PostgresCatalog {

  record Role(String name, boolean superuser, boolean bypassRls) {
  }

  record TenantTable(long oid, String schema, String name, boolean rls, boolean forced, boolean ownedByApp,
      int tenantAttnum) {
    String qualified() {
      return schema + "." + name;
    }
  }

  record Policy(long tableOid, String name, char command, boolean permissive, boolean appliesToApp,
      @Nullable String using, @Nullable String check) {
  }

  record Index(long tableOid, String name, boolean unique, boolean primary, List<Integer> columns) {
  }

  record Constraint(long tableOid, String name, char type, long referencedOid, List<Integer> columns,
      List<Integer> referencedColumns) {
  }

  record SequenceColumn(long tableOid, String column, String how) {
  }

  record ViewEdge(long viewOid, String schema, String name, char kind, boolean securityInvoker, long referencedOid) {
    String qualified() {
      return schema + "." + name;
    }
  }

  record DefinerFunction(long oid, String signature, String source, Set<Long> dependsOn) {
  }

  private static final String SYSTEM_SCHEMA = "(n.nspname = 'information_schema' or n.nspname like 'pg\\_%')";

  final Role role;
  final List<TenantTable> tables;
  final List<String> missingDeclared;
  final List<Policy> policies;
  final List<Index> indexes;
  final List<Constraint> constraints;
  final List<SequenceColumn> sequenceColumns;
  final List<ViewEdge> viewEdges;
  final List<DefinerFunction> definerFunctions;

  private PostgresCatalog(Role role, List<TenantTable> tables, List<String> missingDeclared, List<Policy> policies,
      List<Index> indexes, List<Constraint> constraints, List<SequenceColumn> sequenceColumns,
      List<ViewEdge> viewEdges, List<DefinerFunction> definerFunctions) {
    this.role = role;
    this.tables = tables;
    this.missingDeclared = missingDeclared;
    this.policies = policies;
    this.indexes = indexes;
    this.constraints = constraints;
    this.sequenceColumns = sequenceColumns;
    this.viewEdges = viewEdges;
    this.definerFunctions = definerFunctions;
  }

  static PostgresCatalog load(Connection connection, @Nullable String applicationRole, String tenantColumn,
      List<String> schemas, List<TableName> declared, List<TableName> excluded) throws SQLException {
    Role role = role(connection, applicationRole);
    List<TenantTable> tables = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<TableName> found = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select c.oid, n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            + " pg_has_role(?::name, c.relowner, 'USAGE'),"
            + " (select a.attnum from pg_attribute a where a.attrelid = c.oid and a.attname = ? and a.attnum > 0"
            + "   and not a.attisdropped)"
            + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where c.relkind in ('r', 'p') and not " + SYSTEM_SCHEMA + " order by n.nspname, c.relname")) {
      statement.setString(1, role.name());
      statement.setString(2, tenantColumn);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String schema = rows.getString(2);
          String name = rows.getString(3);
          int attnum = rows.getInt(7);
          boolean hasColumn = !rows.wasNull();
          boolean isDeclared = declared.stream().anyMatch(d -> d.matches(schema, name));
          boolean discovered = hasColumn && (schemas.isEmpty() || schemas.contains(schema))
              && excluded.stream().noneMatch(e -> e.matches(schema, name));
          if (isDeclared) {
            declared.stream().filter(d -> d.matches(schema, name)).forEach(found::add);
          }
          if (isDeclared && !hasColumn) {
            missing.add(schema + "." + name);
          } else if (isDeclared || discovered) {
            tables.add(new TenantTable(rows.getLong(1), schema, name, rows.getBoolean(4), rows.getBoolean(5),
                rows.getBoolean(6), attnum));
          }
        }
      }
    }
    declared.stream().filter(d -> !found.contains(d)).forEach(d -> missing.add(d.toString()));
    return new PostgresCatalog(role, tables, missing, policies(connection, role), indexes(connection),
        constraints(connection), sequenceColumns(connection), viewEdges(connection), definerFunctions(connection));
  }

  Map<Long, TenantTable> tablesByOid() {
    Map<Long, TenantTable> map = new LinkedHashMap<>();
    tables.forEach(table -> map.put(table.oid(), table));
    return map;
  }

  private static Role role(Connection connection, @Nullable String configured) throws SQLException {
    String sql = configured == null
        ? "select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user"
        : "select rolname, rolsuper, rolbypassrls from pg_roles where rolname = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (configured != null) {
        statement.setString(1, configured);
      }
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new TenancyConfigurationException("The application role '" + configured + "' does not exist in this"
              + " database; pass the role your application connects as to IsolationVerifier.applicationRole(...)");
        }
        return new Role(rows.getString(1), rows.getBoolean(2), rows.getBoolean(3));
      }
    }
  }

  private static List<Policy> policies(Connection connection, Role role) throws SQLException {
    List<Policy> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select p.polrelid, p.polname, p.polcmd, p.polpermissive,"
            + " exists (select 1 from unnest(p.polroles) r where r = 0 or pg_has_role(?::name, r, 'USAGE')),"
            + " pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)"
            + " from pg_policy p order by p.polrelid, p.polname")) {
      statement.setString(1, role.name());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          list.add(new Policy(rows.getLong(1), rows.getString(2), rows.getString(3).charAt(0), rows.getBoolean(4),
              rows.getBoolean(5), rows.getString(6), rows.getString(7)));
        }
      }
    }
    return list;
  }

  private static List<Index> indexes(Connection connection) throws SQLException {
    List<Index> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select i.indrelid, n.nspname || '.' || c.relname, i.indisunique, i.indisprimary, i.indkey::text"
            + " from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
            + " where not " + SYSTEM_SCHEMA + " order by c.relname");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        list.add(new Index(rows.getLong(1), rows.getString(2), rows.getBoolean(3), rows.getBoolean(4),
            numbers(rows.getString(5))));
      }
    }
    return list;
  }

  private static List<Constraint> constraints(Connection connection) throws SQLException {
    List<Constraint> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select con.conrelid, con.conname, con.contype, con.confrelid, con.conkey::text, con.confkey::text"
            + " from pg_constraint con where con.contype in ('p', 'f') and con.conrelid <> 0 order by con.conname");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        list.add(new Constraint(rows.getLong(1), rows.getString(2), rows.getString(3).charAt(0), rows.getLong(4),
            numbers(rows.getString(5)), numbers(rows.getString(6))));
      }
    }
    return list;
  }

  private static List<SequenceColumn> sequenceColumns(Connection connection) throws SQLException {
    List<SequenceColumn> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select a.attrelid, a.attname, a.attidentity, pg_get_expr(d.adbin, d.adrelid)"
            + " from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
            + " where a.attnum > 0 and not a.attisdropped"
            + " and (a.attidentity <> '' or pg_get_expr(d.adbin, d.adrelid) like '%nextval(%')"
            + " and a.attrelid in (select oid from pg_class where relkind in ('r', 'p'))");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String identity = rows.getString(3);
        String how = identity != null && !identity.isEmpty()
            ? "GENERATED " + ("a".equals(identity) ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY"
            : "DEFAULT " + rows.getString(4);
        list.add(new SequenceColumn(rows.getLong(1), rows.getString(2), how));
      }
    }
    return list;
  }

  private static List<ViewEdge> viewEdges(Connection connection) throws SQLException {
    List<ViewEdge> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select distinct v.oid, n.nspname, v.relname, v.relkind,"
            + " coalesce(array_to_string(v.reloptions, ','), ''), d.refobjid"
            + " from pg_depend d join pg_rewrite r on r.oid = d.objid join pg_class v on v.oid = r.ev_class"
            + " join pg_namespace n on n.oid = v.relnamespace"
            + " where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass"
            + " and d.refobjid <> v.oid and v.relkind in ('v', 'm') and not " + SYSTEM_SCHEMA);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        list.add(new ViewEdge(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4).charAt(0),
            securityInvoker(rows.getString(5)), rows.getLong(6)));
      }
    }
    return list;
  }

  private static List<DefinerFunction> definerFunctions(Connection connection) throws SQLException {
    List<DefinerFunction> list = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "select p.oid, n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
            + " coalesce(p.prosrc, ''),"
            + " coalesce((select string_agg(d.refobjid::text, ' ') from pg_depend d"
            + "   where d.classid = 'pg_proc'::regclass and d.objid = p.oid"
            + "   and d.refclassid = 'pg_class'::regclass), '')"
            + " from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
            + " where p.prosecdef and not " + SYSTEM_SCHEMA + " order by 2");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        Set<Long> dependsOn = Set.copyOf(longs(rows.getString(4)));
        list.add(new DefinerFunction(rows.getLong(1), rows.getString(2), rows.getString(3), dependsOn));
      }
    }
    return list;
  }

  /** Reads the options as PostgreSQL stores them ({@code security_invoker=on}) with its boolean spellings. */
  private static boolean securityInvoker(String options) {
    return Arrays.stream(options.split(",")).map(String::trim).anyMatch(option -> option.matches(
        "(?i)security_invoker=(true|on|yes|1|t|y)"));
  }

  /** Parses {@code int2vector} text ({@code "1 2"}) or an array ({@code "{1,2}"}) of column numbers. */
  private static List<Integer> numbers(@Nullable String text) {
    return longs(text).stream().map(Long::intValue).toList();
  }

  /** Parses space- or comma-separated numbers; oids need a {@code long} (they are unsigned 32-bit). */
  private static List<Long> longs(@Nullable String text) {
    if (text == null) {
      return List.of();
    }
    String trimmed = text.replace("{", "").replace("}", "").trim();
    if (trimmed.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(trimmed.split("[ ,]+")).map(Long::parseLong).toList();
  }
}
