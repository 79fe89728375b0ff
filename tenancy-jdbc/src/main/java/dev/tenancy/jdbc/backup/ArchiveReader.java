package dev.tenancy.jdbc.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.BackupRefusedException.Reason;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads an archive twice, streaming both times. {@link #verify} checks everything that can be checked without the
 * database — the manifest's signature, every file's SHA-256 and row count, the file list and order, the tenant, and
 * every row's tenant column — before a restore touches a row. {@link #read} then streams the rows into the restore's
 * transaction, checking each file's hash again as it goes, so an archive swapped between the two reads fails the
 * restore (which rolls back) instead of slipping through.
 */
final class ArchiveReader {

  private static final Pattern TABLE_FILE = Pattern.compile("tables/[0-9]{3}\\.jsonl");
  private static final int MAX_MANIFEST_BYTES = 16 << 20;
  /** Strict: trailing content or a key given twice in a row is not a row this library wrote. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Makes the refusal (with tenant and backup id) for a reason. */
  @FunctionalInterface
  interface Refusal {
    RuntimeException refuse(Reason reason, String detail);
  }

  /** Receives the rows of pass two, table after table in load order. */
  interface RowSink {
    void row(BackupManifest.Table table, @Nullable Object[] values) throws SQLException;
  }

  private record Seen(String sha256, long rows) {
  }

  private ArchiveReader() {
  }

  /** Pass one: verifies the archive and returns its manifest, or throws the refusal. */
  static BackupManifest verify(InputStream in, TenantId tenant, String tenantColumn, @Nullable BackupKey key,
      Refusal refusal) throws IOException {
    ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
    Map<String, Seen> seen = new LinkedHashMap<>();
    byte[] manifestBytes = null;
    byte[] signature = null;
    String foreign = null;
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      String name = entry.getName();
      if (seen.containsKey(name) || (name.equals(BackupManifest.MANIFEST) && manifestBytes != null)
          || (name.equals(BackupManifest.SIGNATURE) && signature != null)) {
        throw refusal.refuse(Reason.TAMPERED, "the archive holds entry '" + name + "' twice");
      }
      if (name.equals(BackupManifest.MANIFEST)) {
        manifestBytes = readLimited(zip, MAX_MANIFEST_BYTES, refusal);
      } else if (name.equals(BackupManifest.SIGNATURE)) {
        signature = readLimited(zip, 256, refusal);
      } else if (TABLE_FILE.matcher(name).matches()) {
        MessageDigest sha256 = ArchiveWriter.sha256();
        long rows = 0;
        String tenantField = null;
        BufferedReader lines = reader(zip, sha256);
        String line;
        while ((line = lines.readLine()) != null) {
          rows++;
          JsonNode row = parse(line, name, rows, refusal);
          if (tenantField == null) {
            tenantField = fieldIgnoringCase(row, tenantColumn);
          }
          if (tenantField != null && foreign == null) {
            JsonNode value = row.get(tenantField);
            if (value == null || !value.isTextual() || !value.asText().equalsIgnoreCase(tenant.toString())) {
              foreign = name + " line " + rows + " has " + tenantField + " = " + value;
            }
          }
        }
        seen.put(name, new Seen(HexFormat.of().formatHex(sha256.digest()), rows));
      } else {
        throw refusal.refuse(Reason.TAMPERED, "the archive holds an unexpected entry '" + name + "'");
      }
    }
    if (manifestBytes == null) {
      throw refusal.refuse(Reason.TAMPERED, "the archive has no manifest.json (truncated, or not a tenant backup)");
    }
    if (key != null) {
      if (signature == null) {
        throw refusal.refuse(Reason.TAMPERED, "the archive is not signed, but a backup key is configured — an "
            + "unsigned archive could have been written by anyone who can write the repository");
      }
      if (!key.verify(manifestBytes, new String(signature, StandardCharsets.US_ASCII).trim())) {
        throw refusal.refuse(Reason.TAMPERED, "the manifest's signature does not match: the manifest was altered, "
            + "or signed with another key than " + key);
      }
    }
    BackupManifest manifest;
    try {
      manifest = BackupManifest.parse(manifestBytes);
    } catch (RuntimeException e) {
      throw refusal.refuse(Reason.TAMPERED, "the manifest is invalid: " + e.getMessage());
    }
    List<String> expected = new ArrayList<>();
    for (BackupManifest.Table table : manifest.tables()) {
      expected.add(table.file());
      Seen file = seen.get(table.file());
      if (file == null) {
        throw refusal.refuse(Reason.TAMPERED, "table file " + table.file() + " (" + table.name() + ") is missing");
      }
      if (file.rows() != table.rows() || !file.sha256().equals(table.sha256())) {
        throw refusal.refuse(Reason.TAMPERED, "table file " + table.file() + " (" + table.name() + ") does not match "
            + "the manifest: " + file.rows() + " rows, SHA-256 " + file.sha256() + "; the manifest says "
            + table.rows() + " rows, " + table.sha256());
      }
    }
    if (!expected.equals(new ArrayList<>(seen.keySet()))) {
      throw refusal.refuse(Reason.TAMPERED, "the archive's table files " + seen.keySet() + " are not the manifest's "
          + expected);
    }
    if (!manifest.tenant().equals(tenant)) {
      throw refusal.refuse(Reason.OTHER_TENANT, "the archive holds the data of tenant " + manifest.tenant()
          + " (" + manifest.tenantSlug() + "); a backup is only ever restored into the tenant it was taken of");
    }
    if (!manifest.tenantColumn().equalsIgnoreCase(tenantColumn)) {
      throw refusal.refuse(Reason.INCOMPATIBLE, "the archive's tenant column is " + manifest.tenantColumn()
          + ", the restore's is " + tenantColumn);
    }
    if (foreign != null) {
      throw refusal.refuse(Reason.FOREIGN_ROWS, "a row belongs to another tenant: " + foreign);
    }
    return manifest;
  }

  /** Pass two: streams the rows of a verified manifest's tables to the sink. */
  static void read(InputStream in, BackupManifest manifest, RowSink sink, Refusal refusal)
      throws IOException, SQLException {
    ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
    Iterator<BackupManifest.Table> tables = manifest.tables().iterator();
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      String name = entry.getName();
      if (!TABLE_FILE.matcher(name).matches()) {
        continue;
      }
      BackupManifest.Table table = tables.hasNext() ? tables.next() : null;
      if (table == null || !table.file().equals(name)) {
        throw refusal.refuse(Reason.TAMPERED, "the archive changed while it was being restored (" + name + ")");
      }
      MessageDigest sha256 = ArchiveWriter.sha256();
      BufferedReader lines = reader(zip, sha256);
      List<TableColumn> columns = table.columns();
      @Nullable Object[] values = new Object[columns.size()];
      long rows = 0;
      String line;
      while ((line = lines.readLine()) != null) {
        rows++;
        JsonNode row = parse(line, name, rows, refusal);
        if (row.size() != columns.size()) {
          throw refusal.refuse(Reason.TAMPERED, name + " line " + rows + " has " + row.size() + " fields, the "
              + "manifest lists " + columns.size() + " columns");
        }
        for (int i = 0; i < values.length; i++) {
          values[i] = value(row, columns.get(i), name, rows, refusal);
        }
        sink.row(table, values);
      }
      if (rows != table.rows() || !HexFormat.of().formatHex(sha256.digest()).equals(table.sha256())) {
        throw refusal.refuse(Reason.TAMPERED, "the archive changed while it was being restored (" + name + ")");
      }
    }
    if (tables.hasNext()) {
      throw refusal.refuse(Reason.TAMPERED, "the archive changed while it was being restored (files missing)");
    }
  }

  private static @Nullable Object value(JsonNode row, TableColumn column, String file, long line, Refusal refusal) {
    JsonNode node = row.get(column.name());
    if (node == null) {
      throw refusal.refuse(Reason.TAMPERED, file + " line " + line + " lacks column " + column.name());
    }
    if (node.isNull()) {
      return null;
    }
    try {
      return switch (column.type()) {
        case INTEGER -> {
          if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("not an integer");
          }
          yield node.longValue();
        }
        case BOOLEAN -> {
          if (!node.isBoolean()) {
            throw new IllegalArgumentException("not a boolean");
          }
          yield node.booleanValue();
        }
        default -> {
          if (!node.isTextual()) {
            throw new IllegalArgumentException("not text");
          }
          yield column.type().parse(node.textValue());
        }
      };
    } catch (RuntimeException e) {
      throw refusal.refuse(Reason.TAMPERED, file + " line " + line + " column " + column.name() + " holds no valid "
          + column.type() + " value (" + e.getMessage() + ")");
    }
  }

  private static JsonNode parse(String line, String file, long number, Refusal refusal) {
    JsonNode row;
    try {
      row = JSON.readTree(line);
    } catch (IOException e) {
      throw refusal.refuse(Reason.TAMPERED, file + " line " + number + " is not JSON");
    }
    if (row == null || !row.isObject()) {
      throw refusal.refuse(Reason.TAMPERED, file + " line " + number + " is not a JSON object");
    }
    return row;
  }

  private static @Nullable String fieldIgnoringCase(JsonNode row, String name) {
    Iterator<String> names = row.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (field.equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  /** Lines of the current entry, hashed as they are read; reading to the end consumes exactly the entry. */
  private static BufferedReader reader(ZipInputStream zip, MessageDigest sha256) {
    InputStream entry = new FilterInputStream(zip) {
      @Override
      public void close() {
        // the zip stream outlives each entry
      }
    };
    return new BufferedReader(new InputStreamReader(new DigestInputStream(entry, sha256), StandardCharsets.UTF_8),
        1 << 16);
  }

  private static byte[] readLimited(ZipInputStream zip, int limit, Refusal refusal) throws IOException {
    byte[] bytes = zip.readNBytes(limit + 1);
    if (bytes.length > limit) {
      throw refusal.refuse(Reason.TAMPERED, "a metadata entry of the archive is larger than " + limit + " bytes");
    }
    return bytes;
  }
}
