package dev.tenancy.jdbc.backup;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Backup ids: opaque, sortable by time, and safe as file and object names. */
final class BackupIds {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private BackupIds() {
  }

  /** e.g. {@code 20240229T233000Z-3f9a1c0e}. */
  static String next(Instant now) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return STAMP.format(now) + "-" + HexFormat.of().formatHex(random);
  }

  static boolean isValid(String id) {
    return VALID.matcher(id).matches() && !id.contains("..");
  }

  static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("'" + id + "' is not a backup id: ids are 1 to 100 letters, digits, '.', '_'"
          + " or '-', start with a letter or digit, and contain no '..'");
    }
    return id;
  }
}
