package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Sealed chains and raw segment-file edits for the file sink's tests. */
final class AuditChains {

  /** The key the chains are sealed with: the verifier's. */
  static final AuditKey KEY = AuditKey.of("tenancy-file-sink-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  /** Someone else's key: what an attacker without {@link #KEY} can seal with. */
  static final AuditKey ATTACKER_KEY = AuditKey.of("an-attacker-who-never-saw-the-real-key-42".getBytes(
      StandardCharsets.UTF_8));

  private AuditChains() {
  }

  /**
   * Seals {@code count} events of a tenant (or the platform) after {@code previous}.
   *
   * @param key the key to seal with, or {@code null} for a plain hash chain
   */
  static List<AuditRecord> chain(@Nullable TenantId tenant, @Nullable AuditRecord previous, int count,
      @Nullable AuditKey key) {
    List<AuditRecord> records = new ArrayList<>(count);
    long sequence = previous == null ? 0 : previous.sequence();
    String hash = previous == null ? AuditRecord.GENESIS : previous.hash();
    Instant start = Instant.parse("2026-11-01T09:00:00Z");
    for (int i = 0; i < count; i++) {
      sequence++;
      AuditEvent event = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated")
          .tenant(tenant).timestamp(start.plus(Duration.ofSeconds(sequence)))
          .actor(AuditActorType.USER, "agent-" + sequence).resource("lead/" + sequence)
          .detail("field", "price").detail("note", "quote \" newline \n é 🏠")
          .build();
      AuditRecord record = AuditRecord.seal(event, sequence, hash, key);
      records.add(record);
      hash = record.hash();
    }
    return records;
  }

  static List<AuditRecord> chain(@Nullable TenantId tenant, int count) {
    return chain(tenant, null, count, KEY);
  }

  /** @return the chain's only segment file (the tests' chains fit in one) */
  static Path onlySegment(Path sinkDirectory, String chain) throws IOException {
    try (Stream<Path> files = Files.list(sinkDirectory.resolve(chain))) {
      List<Path> segments = files.filter(file -> file.toString().endsWith(".jsonl")).toList();
      if (segments.size() != 1) {
        throw new IllegalStateException("expected one segment, found " + segments);
      }
      return segments.get(0);
    }
  }

  /** @return the file's lines, without line breaks; a last line without a break is included */
  static List<String> lines(Path file) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** Writes lines back as the file's whole content, each with a line break. */
  static void write(Path file, List<String> lines) throws IOException {
    StringBuilder content = new StringBuilder();
    lines.forEach(line -> content.append(line).append('\n'));
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
