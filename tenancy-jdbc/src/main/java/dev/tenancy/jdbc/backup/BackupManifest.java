package dev.tenancy.jdbc.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenancy.core.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The archive's table of contents, {@code manifest.json}: who and what, and for each table file its columns, row count
 * and SHA-256. Parsing is strict: an unknown format version, a missing field or an inconsistent entry is refused.
 */
record BackupManifest(int formatVersion, String backupId, TenantId tenant, String tenantSlug, Instant createdAt,
    PlaceKind sourceKind, String tenantColumn, List<Table> tables, @Nullable String keyId) {

  static final String FORMAT = "tenancy-tenant-backup";
  static final int VERSION = 1;
  static final String MANIFEST = "manifest.json";
  static final String SIGNATURE = "manifest.hmac";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One table file. */
  record Table(String name, String file, List<TableColumn> columns, @Nullable String tenantColumn, long rows,
      String sha256) {

    Table {
      columns = List.copyOf(columns);
    }
  }

  BackupManifest {
    tables = List.copyOf(tables);
  }

  static String fileOf(int index) {
    return String.format(Locale.ROOT, "tables/%03d.jsonl", index + 1);
  }

  long rows() {
    return tables.stream().mapToLong(Table::rows).sum();
  }

  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", formatVersion);
    root.put("backupId", backupId);
    root.put("tenant", tenant.toString());
    root.put("tenantSlug", tenantSlug);
    root.put("createdAt", createdAt.toString());
    root.put("sourceKind", sourceKind.name());
    root.put("tenantColumn", tenantColumn);
    root.put("keyId", keyId);
    root.put("rows", rows());
    ArrayNode list = root.putArray("tables");
    for (Table table : tables) {
      ObjectNode node = list.addObject();
      node.put("name", table.name());
      node.put("file", table.file());
      node.put("tenantColumn", table.tenantColumn());
      node.put("rows", table.rows());
      node.put("sha256", table.sha256());
      ArrayNode columns = node.putArray("columns");
      for (TableColumn column : table.columns()) {
        ObjectNode c = columns.addObject();
        c.put("name", column.name());
        c.put("type", column.type().name());
        c.put("typeName", column.typeName());
        c.put("jdbcType", column.jdbcType());
        c.put("nullable", column.nullable());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a manifest this version understands, with the reason
   */
  static BackupManifest parse(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest.json is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format"))) {
      throw new IllegalArgumentException("manifest.json is not a " + FORMAT + " manifest");
    }
    int version = root.path("formatVersion").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException("manifest format version " + version + " is not supported (expected "
          + VERSION + ")");
    }
    List<Table> tables = new ArrayList<>();
    Set<String> files = new HashSet<>();
    JsonNode list = root.path("tables");
    if (!list.isArray()) {
      throw new IllegalArgumentException("manifest has no table list");
    }
    for (JsonNode node : list) {
      List<TableColumn> columns = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (JsonNode c : node.path("columns")) {
        String name = text(c, "name");
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("manifest lists column " + name + " twice");
        }
        columns.add(new TableColumn(name, ColumnType.valueOf(text(c, "type")), c.path("jdbcType").asInt(),
            text(c, "typeName"), c.path("nullable").asBoolean(true), false, false));
      }
      String file = text(node, "file");
      if (!file.equals(fileOf(tables.size())) || !files.add(file)) {
        throw new IllegalArgumentException("manifest table entry " + tables.size() + " names file '" + file + "'");
      }
      String tableTenantColumn = node.path("tenantColumn").isNull() ? null : text(node, "tenantColumn");
      if (tableTenantColumn != null && columns.stream().noneMatch(c -> c.name().equals(tableTenantColumn))) {
        throw new IllegalArgumentException("table " + text(node, "name") + " names a tenant column it lacks");
      }
      long rows = node.path("rows").asLong(-1);
      String sha256 = text(node, "sha256");
      if (rows < 0 || !sha256.matches("[0-9a-f]{64}") || columns.isEmpty()) {
        throw new IllegalArgumentException("manifest entry of table " + text(node, "name") + " is incomplete");
      }
      tables.add(new Table(text(node, "name"), file, columns, tableTenantColumn, rows, sha256));
    }
    BackupManifest manifest = new BackupManifest(version, text(root, "backupId"), TenantId.of(text(root, "tenant")),
        text(root, "tenantSlug"), Instant.parse(text(root, "createdAt")), PlaceKind.valueOf(text(root, "sourceKind")),
        text(root, "tenantColumn"), tables, root.path("keyId").isTextual() ? root.path("keyId").asText() : null);
    if (manifest.rows() != root.path("rows").asLong(-1)) {
      throw new IllegalArgumentException("manifest's total row count does not add up");
    }
    return manifest;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("manifest field '" + field + "' is missing or not text");
    }
    return value.asText();
  }
}
