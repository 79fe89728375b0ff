package dev.tenancy.jdbc.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** What an attacker (or a broken disk) does to an archive file, for the refusal tests. */
final class ArchiveSurgery {

  private static final ObjectMapper JSON = new ObjectMapper();

  final Path file;
  final Map<String, byte[]> entries = new LinkedHashMap<>();

  ArchiveSurgery(Path file) throws IOException {
    this.file = file;
    try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    }
  }

  String text(String entry) {
    return new String(entries.get(entry), StandardCharsets.UTF_8);
  }

  /** Rewrites one entry's text. */
  ArchiveSurgery edit(String entry, UnaryOperator<String> change) {
    String before = text(entry);
    String after = change.apply(before);
    if (after.equals(before)) {
      throw new IllegalStateException("the edit of " + entry + " changed nothing");
    }
    entries.put(entry, after.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Recomputes every table file's row count and SHA-256 in the manifest, as someone covering their tracks would. */
  ArchiveSurgery rehash() throws IOException {
    ObjectNode manifest = (ObjectNode) JSON.readTree(entries.get(BackupManifest.MANIFEST));
    long total = 0;
    for (var table : manifest.withArray("tables")) {
      byte[] data = entries.get(table.get("file").asText());
      long rows = new String(data, StandardCharsets.UTF_8).lines().count();
      ((ObjectNode) table).put("rows", rows);
      ((ObjectNode) table).put("sha256", HexFormat.of().formatHex(BackupKey.sha256(data)));
      total += rows;
    }
    manifest.put("rows", total);
    entries.put(BackupManifest.MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    return this;
  }

  ArchiveSurgery remove(String entry) {
    entries.remove(entry);
    return this;
  }

  void save() throws IOException {
    save(file);
  }

  void save(Path target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    Files.createDirectories(target.getParent());
    try (OutputStream out = Files.newOutputStream(target)) {
      bytes.writeTo(out);
    }
  }
}
