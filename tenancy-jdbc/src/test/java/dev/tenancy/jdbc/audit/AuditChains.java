package dev.tenancy.jdbc.audit;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.spi.AuditSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Sealed chains for the JDBC sink's own tests (the compatibility kit's helper is visible to its subclasses only). */
final class AuditChains {

  /** The key chains are sealed with, kept "outside the database" (in the test). */
  static final AuditKey KEY = AuditKey.of("jdbc-audit-sink-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  /** A key the attacker made up: records sealed with it are not authentic. */
  static final AuditKey FORGER_KEY =
      AuditKey.of("not-the-audit-key-but-long-enough-0123456".getBytes(StandardCharsets.UTF_8));

  private AuditChains() {
  }

  /**
   * Seals {@code count} events of a tenant after {@code previous}.
   *
   * @param tenant the tenant, or {@code null} for the platform chain
   * @param previous the chain's last record, or {@code null} to start it
   * @param count how many
   * @param key the key, or {@code null} for an unkeyed chain
   * @return the records in sequence order
   */
  static List<AuditRecord> seal(@Nullable TenantId tenant, @Nullable AuditRecord previous, int count,
      @Nullable AuditKey key) {
    List<AuditRecord> records = new ArrayList<>();
    long sequence = previous == null ? 0 : previous.sequence();
    String hash = previous == null ? AuditRecord.GENESIS : previous.hash();
    Instant start = Instant.parse("2026-11-01T09:00:00Z");
    for (int i = 0; i < count; i++) {
      sequence++;
      AuditEvent event = AuditEvent.builder(AuditCategory.DATA_ACCESS, "lead.updated")
          .tenant(tenant).timestamp(start.plus(Duration.ofSeconds(sequence)))
          .actor(AuditActorType.USER, "agent-" + sequence).resource("lead/" + sequence)
          .detail("field", "price").build();
      AuditRecord record = AuditRecord.seal(event, sequence, hash, key);
      records.add(record);
      hash = record.hash();
    }
    return records;
  }

  static List<AuditRecord> seal(@Nullable TenantId tenant, int count) {
    return seal(tenant, null, count, KEY);
  }

  static List<AuditRecord> readAll(AuditSink sink, String chain) {
    try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
      return records.toList();
    }
  }
}
