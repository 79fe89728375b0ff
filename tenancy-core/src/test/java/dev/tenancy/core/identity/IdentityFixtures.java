package dev.tenancy.core.identity;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Tenants, principals, a hand-moved clock and a readable audit trail for the identity tests. */
final class IdentityFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private IdentityFixtures() {
  }

  static TenantInfo tenant(String slug) {
    return tenant(slug, Map.of());
  }

  static TenantInfo tenant(String slug, Map<String, String> settings) {
    return new TenantInfo(TenantId.random(), TenantSlug.of(slug), TenantStatus.ACTIVE,
        new EffectiveConfiguration("pro", Map.of(), Map.of(), null, settings));
  }

  static TenantPrincipal user(TenantInfo tenant, String subject, String... roles) {
    return new TenantPrincipal(tenant.id(), subject, Set.of(roles), PrincipalKind.USER, "jti-" + subject, "test",
        null);
  }

  static TenantPrincipal platform(String subject) {
    return new TenantPrincipal(null, subject, Set.of(TenantPrincipal.PLATFORM_ADMIN), PrincipalKind.PLATFORM, null,
        null, null);
  }

  /** A mutable directory of tenants, the lookup an {@link ApiKeyService} is given. */
  static final class Directory {
    private final Map<TenantId, TenantInfo> tenants = new ConcurrentHashMap<>();

    TenantInfo add(TenantInfo tenant) {
      tenants.put(tenant.id(), tenant);
      return tenant;
    }

    void setStatus(TenantInfo tenant, TenantStatus status) {
      tenants.put(tenant.id(), new TenantInfo(tenant.id(), tenant.slug(), status, tenant.configuration()));
    }

    void remove(TenantInfo tenant) {
      tenants.remove(tenant.id());
    }

    Optional<TenantInfo> find(TenantId id) {
      return Optional.ofNullable(tenants.get(id));
    }
  }

  /** A clock tests move forward by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** A real audit log over an in-memory sink, read back after a flush. */
  static final class Trail implements AutoCloseable {
    final InMemoryAuditSink sink = new InMemoryAuditSink();
    final AuditLog log = AuditLog.builder().sink(sink).build();

    List<AuditEvent> events() {
      log.flush();
      return sink.chains().stream()
          .flatMap(chain -> {
            try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
              return records.toList().stream();
            }
          })
          .map(AuditRecord::event)
          .toList();
    }

    List<AuditEvent> events(String action) {
      return events().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Override
    public void close() {
      log.close();
    }
  }
}
