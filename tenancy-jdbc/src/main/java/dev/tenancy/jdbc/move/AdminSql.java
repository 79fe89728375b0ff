package dev.tenancy.jdbc.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** Statements the schema and database places run on the raw (admin) DataSource, each committed on its own. */
final class AdminSql {

  private AdminSql() {
  }

  static void execute(DataSource admin, String sql) throws SQLException {
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  /** @return whether the query with one string parameter returns a row */
  static boolean exists(DataSource admin, String sql, String parameter) throws SQLException {
    try (Connection connection = admin.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet rows = query.executeQuery()) {
        boolean found = rows.next();
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        return found;
      }
    }
  }

  /**
   * A name to put an old copy aside under until the move commits: recognisable ({@code moved_<random>_<name>}),
   * unique, and within PostgreSQL's 63-byte limit (names are {@code [a-z0-9_]}, so characters are bytes).
   */
  static String retiredName(String name) {
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String retired = "moved_" + random + "_" + name;
    return retired.length() <= 63 ? retired : retired.substring(0, 63);
  }
}
