package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.AuditSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Keys, events and sealed chains for the audit tests. */
final class AuditFixtures {

  static final AuditKey KEY = AuditKey.of("tenancy-audit-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  static final AuditKey OTHER_KEY = AuditKey.of("an-attackers-own-key-0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private AuditFixtures() {
  }

  static AuditEvent event(@Nullable TenantId tenant, String action, int n) {
    return AuditEvent.builder(AuditCategory.DATA_ACCESS, action)
        .tenant(tenant)
        .timestamp(T0.plusSeconds(n))
        .actor(AuditActorType.USER, "user-" + n)
        .resource("lead/" + n)
        .detail("n", Integer.toString(n))
        .build();
  }

  static AuditEvent security(@Nullable TenantId tenant, int n) {
    return AuditEvent.builder(AuditCategory.SECURITY, "auth.token_rejected")
        .tenant(tenant)
        .actor(AuditActorType.ANONYMOUS, "caller-" + n)
        .outcome(AuditOutcome.DENIED)
        .detail("n", Integer.toString(n))
        .build();
  }

  /** Seals {@code count} events after {@code previous} (or from the start). */
  static List<AuditRecord> chain(@Nullable TenantId tenant, @Nullable AuditRecord previous, int count,
      @Nullable AuditKey key) {
    List<AuditRecord> records = new ArrayList<>();
    long sequence = previous == null ? 0 : previous.sequence();
    String hash = previous == null ? AuditRecord.GENESIS : previous.hash();
    for (int i = 0; i < count; i++) {
      AuditRecord record = AuditRecord.seal(event(tenant, "lead.viewed", (int) sequence + 1), sequence + 1, hash, key);
      records.add(record);
      sequence = record.sequence();
      hash = record.hash();
    }
    return records;
  }

  static List<AuditRecord> stored(AuditSink sink, String chain) {
    try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
      return records.toList();
    }
  }
}
