package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** The audit events of access control and API keys. None of them ever carries a key's secret. */
final class IdentityAudit {

  private IdentityAudit() {
  }

  static AuditActorType actorType(TenantPrincipal principal) {
    return switch (principal.kind()) {
      case USER -> AuditActorType.USER;
      case SERVICE -> AuditActorType.SERVICE;
      case PLATFORM -> AuditActorType.PLATFORM_OPERATOR;
    };
  }

  static AuditEvent accessDenied(TenantPrincipal principal, Permission required, AccessDeniedException denial,
      @Nullable TenantId scope) {
    AuditEvent.Builder event = AuditEvent.builder(AuditCategory.SECURITY, "access.denied")
        .tenant(principal.tenant())
        .actor(actorType(principal), principal.subject())
        .resource("permission/" + required)
        .outcome(AuditOutcome.DENIED)
        .detail("reason", denial.reason().name())
        .detail("roles", joinedRoles(principal.roles()));
    if (scope != null && !scope.equals(principal.tenant())) {
      // The tenant the principal tried to act in: on the trail of the principal's own tenant (or the platform's).
      event.detail("targetTenant", scope.toString());
    }
    return event.build();
  }

  static AuditEvent grantRefused(TenantPrincipal grantor, @Nullable TenantId tenant, Collection<String> roles,
      AccessDeniedException refusal, String action) {
    return AuditEvent.builder(AuditCategory.SECURITY, action)
        .tenant(tenant)
        .actor(actorType(grantor), grantor.subject())
        .outcome(AuditOutcome.DENIED)
        .detail("reason", refusal.reason().name())
        .detail("roles", joinedRoles(roles))
        .detail("message", refusal.getMessage().length() > 1000 ? refusal.getMessage().substring(0, 1000)
            : refusal.getMessage())
        .build();
  }

  static AuditEvent keyChanged(String action, @Nullable TenantPrincipal actor, ApiKey key, Instant at) {
    return AuditEvent.builder(AuditCategory.CONFIGURATION, action)
        .tenant(key.tenant())
        .timestamp(at)
        .actor(actor == null ? AuditActorType.SYSTEM : actorType(actor), actor == null ? "system" : actor.subject())
        .resource("api_key/" + key.id())
        .detail("subject", key.subject())
        .detail("roles", joinedRoles(key.roles()))
        .detail("platform", Boolean.toString(key.isPlatform()))
        .detail("expiresAt", key.findExpiresAt().map(Instant::toString).orElse("never"))
        .build();
  }

  static AuditEvent keyRotated(TenantPrincipal actor, ApiKey old, String replacement, @Nullable Instant graceUntil,
      Instant at) {
    return AuditEvent.builder(AuditCategory.CONFIGURATION, "api_key.rotated")
        .tenant(old.tenant())
        .timestamp(at)
        .actor(actorType(actor), actor.subject())
        .resource("api_key/" + old.id())
        .detail("subject", old.subject())
        .detail("replacedBy", replacement)
        .detail("graceUntil", graceUntil == null ? "none" : graceUntil.toString())
        .build();
  }

  static AuditEvent tenantKeysRevoked(TenantId tenant, int revoked, Instant at) {
    return AuditEvent.builder(AuditCategory.CONFIGURATION, "api_key.revoked_all")
        .tenant(tenant)
        .timestamp(at)
        .detail("revoked", Integer.toString(revoked))
        .build();
  }

  static AuditEvent keyRejected(InvalidApiKeyException rejection, @Nullable TenantId tenant, @Nullable String subject,
      Instant at) {
    AuditEvent.Builder event = AuditEvent.builder(AuditCategory.SECURITY, "auth.api_key_rejected")
        .tenant(tenant)
        .timestamp(at)
        .actor(subject == null ? AuditActorType.ANONYMOUS : AuditActorType.SERVICE, subject == null ? "unknown"
            : subject)
        .outcome(AuditOutcome.DENIED)
        .detail("reason", rejection.reason().name());
    rejection.keyId().ifPresent(id -> event.resource("api_key/" + id));
    return event.build();
  }

  private static String joinedRoles(Collection<String> roles) {
    String joined = String.join(",", new TreeSet<>(roles));
    return joined.length() > 1000 ? joined.substring(0, 1000) + "..." : joined.isEmpty() ? "-" : joined;
  }
}
