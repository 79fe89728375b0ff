package dev.tenancy.jdbc.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The few places where the copy engine's SQL differs between databases. */
enum SqlDialect {
  POSTGRESQL,
  H2,
  OTHER;

  static SqlDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    return product.contains("h2") ? H2 : OTHER;
  }

  /** A sort key for a character column that orders the same on every database: by code point, not by locale. */
  String binaryOrder(String quotedColumn, ColumnType type) {
    return this == POSTGRESQL && type == ColumnType.TEXT ? quotedColumn + " COLLATE \"C\"" : quotedColumn;
  }
}
