package dev.tenancy.jdbc;

import dev.tenancy.core.TenancyConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RlsPolicies} reads from {@code pg_catalog} before it writes anything: whether the application role could
 * bypass the policies, and per table its primary key, its indexes and the sequences its columns draw from. Every
 * name is a bind parameter.
 */
final class RlsCatalogQueries {

  record TableFacts(List<String> primaryKey, boolean hasTenantLeadingIndex, List<String> sequences) {
  }

  private RlsCatalogQueries() {
  }

  /** Refuses a role that does not exist, or that PostgreSQL would exempt from the policies. */
  static void requireSafeRole(Connection connection, String role, String schema, List<String> tables)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select rolsuper, rolbypassrls from pg_roles where rolname = ?")) {
      statement.setString(1, role);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new TenancyConfigurationException("Role '" + role + "' does not exist; create the application role"
              + " (CREATE ROLE … LOGIN NOSUPERUSER NOBYPASSRLS) before applying RlsPolicies");
        }
        if (rows.getBoolean(1) || rows.getBoolean(2)) {
          throw new UnsafeApplicationRoleException(role, "Role '" + role + "' is " + (rows.getBoolean(1)
              ? "a superuser" : "BYPASSRLS") + ", so PostgreSQL would apply none of the policies to it. Let the"
              + " application connect as a role created with NOSUPERUSER NOBYPASSRLS.");
        }
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = ? and c.relname = any (?) and pg_has_role(?::name, c.relowner, 'USAGE')"
            + " order by c.relname")) {
      statement.setString(1, schema);
      statement.setArray(2, connection.createArrayOf("text", tables.toArray()));
      statement.setString(3, role);
      try (ResultSet rows = statement.executeQuery()) {
        if (rows.next()) {
          throw new UnsafeApplicationRoleException(role, "Role '" + role + "' owns " + schema + "."
              + rows.getString(1) + " (or has its owner's privileges), so it could switch row-level security off."
              + " Make a migration role the owner (ALTER TABLE … OWNER TO <migration role>) and apply RlsPolicies"
              + " over a connection of that role.");
        }
      }
    }
  }

  /** Reads what the index and the sequence grants of one table depend on. */
  static TableFacts table(Connection connection, String schema, String table, String tenantColumn)
      throws SQLException {
    long oid = oid(connection, schema, table);
    List<String> primaryKey = new ArrayList<>();
    boolean tenantLeading = false;
    try (PreparedStatement statement = connection.prepareStatement(
        "select a.attname, k.position, i.indisprimary from pg_index i"
            + " cross join lateral unnest(i.indkey) with ordinality k(attnum, position)"
            + " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum"
            + " where i.indrelid = ?::oid order by i.indexrelid, k.position")) {
      statement.setLong(1, oid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tenantLeading |= rows.getLong(2) == 1 && rows.getString(1).equals(tenantColumn);
          if (rows.getBoolean(3)) {
            primaryKey.add(rows.getString(1));
          }
        }
      }
    }
    List<String> sequences = new ArrayList<>();
    // Sequences a column default calls (serial, or DEFAULT nextval('…')) and those owned by the table's columns.
    try (PreparedStatement statement = connection.prepareStatement(
        "select sn.nspname, s.relname from pg_depend d join pg_attrdef ad on ad.oid = d.objid"
            + " join pg_class s on s.oid = d.refobjid join pg_namespace sn on sn.oid = s.relnamespace"
            + " where d.classid = 'pg_attrdef'::regclass and ad.adrelid = ?::oid and s.relkind = 'S'"
            + " union select sn.nspname, s.relname from pg_depend d join pg_class s on s.oid = d.objid"
            + " join pg_namespace sn on sn.oid = s.relnamespace"
            + " where d.classid = 'pg_class'::regclass and d.refobjid = ?::oid and d.deptype = 'a' and s.relkind = 'S'"
            + " order by 1, 2")) {
      statement.setLong(1, oid);
      statement.setLong(2, oid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          sequences.add(SqlIdentifiers.quote(rows.getString(1)) + "." + SqlIdentifiers.quote(rows.getString(2)));
        }
      }
    }
    return new TableFacts(primaryKey, tenantLeading, sequences);
  }

  private static long oid(Connection connection, String schema, String table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = ? and c.relname = ? and c.relkind in ('r', 'p')")) {
      statement.setString(1, schema);
      statement.setString(2, table);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new TenancyConfigurationException("Table " + schema + "." + table + " does not exist; create it (with"
              + " its tenant column) before applying RlsPolicies, or fix the schema/table names");
        }
        return rows.getLong(1);
      }
    }
  }
}
