package dev.tenancy.jdbc.backup;

import java.util.Objects;

/**
 * The digest of one table's rows of one tenant.
 *
 * @param table the table's name
 * @param rows how many rows the tenant has in it
 * @param sha256 SHA-256 (lower-case hex) over its column list and its rows in primary-key order, canonically encoded
 * @since 0.1.0
 */
public record TableDigest(String table, long rows, String sha256) {

  /** Checks the parts. */
  public TableDigest {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(sha256, "sha256");
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative");
    }
  }
}
