package dev.tenancy.jdbc.audit;

import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations.Database;

/**
 * The SQL {@link JdbcAuditSink} sends, for one database and schema. Values are always bound as parameters; the only
 * name put into the text is the validated, quoted schema.
 */
final class AuditStatements {

  /** Parameters: chain, sequence, event time, record text. */
  final String insert;
  /** Parameters: chain, from sequence, to sequence. Columns: sequence, record. */
  final String read;
  /** Parameters: chain, from time (inclusive), to time (exclusive). Columns: sequence, record. */
  final String readBetween;
  /** Parameter: chain. Columns: sequence, record. */
  final String last;
  /** Column: chain. */
  final String chains;
  /** Parameters: chain, from sequence, to sequence. Column: sequence. */
  final String stored;
  /** Parameters: chain, lowest sequence to keep. On PostgreSQL a query returning the count, on H2 an update. */
  final String deleteBefore;
  /** Parameter: chain. On PostgreSQL a query returning the count, on H2 an update. */
  final String erase;
  /** Checks that the table is there and readable; no parameters. */
  final String probe;
  /** The quoted, schema-qualified table. */
  final String table;

  AuditStatements(Database database, String schema) {
    String quotedSchema = SqlIdentifiers.quote(schema);
    table = quotedSchema + ".audit_records";
    insert = "INSERT INTO " + table + " (chain, sequence, event_time, record) VALUES (?, ?, ?, ?)";
    read = "SELECT sequence, record FROM " + table + " WHERE chain = ? AND sequence BETWEEN ? AND ? ORDER BY sequence";
    readBetween = "SELECT sequence, record FROM " + table
        + " WHERE chain = ? AND event_time >= ? AND event_time < ? ORDER BY sequence";
    last = "SELECT sequence, record FROM " + table + " WHERE chain = ? ORDER BY sequence DESC FETCH FIRST 1 ROWS ONLY";
    stored = "SELECT sequence FROM " + table + " WHERE chain = ? AND sequence BETWEEN ? AND ?";
    probe = "SELECT chain FROM " + table + " WHERE 1 = 0";
    if (database == Database.POSTGRESQL) {
      // A loose index scan over the primary key: one index probe per chain instead of reading every record.
      chains = "WITH RECURSIVE chains (chain) AS ("
          + " (SELECT chain FROM " + table + " ORDER BY chain LIMIT 1)"
          + " UNION ALL SELECT (SELECT r.chain FROM " + table + " r WHERE r.chain > c.chain ORDER BY r.chain LIMIT 1)"
          + " FROM chains c WHERE c.chain IS NOT NULL)"
          + " SELECT chain FROM chains WHERE chain IS NOT NULL";
      // The application role has no DELETE privilege and the trigger refuses plain deletes: removal goes through the
      // owner's SECURITY DEFINER functions (see the migration).
      deleteBefore = "SELECT " + quotedSchema + ".audit_delete_before(?, ?)";
      erase = "SELECT " + quotedSchema + ".audit_erase(?)";
    } else {
      chains = "SELECT DISTINCT chain FROM " + table;
      deleteBefore = "DELETE FROM " + table + " WHERE chain = ? AND sequence < ?";
      erase = "DELETE FROM " + table + " WHERE chain = ?";
    }
  }
}
