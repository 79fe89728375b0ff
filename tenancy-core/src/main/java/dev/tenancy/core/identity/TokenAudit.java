package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditOutcome;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the token service's security events. Only facts that were verified, or that we produced, go into an event:
 * never the token, never an unverified claim (an attacker could fill the trail with anything).
 */
final class TokenAudit {

  static final String REJECTED = "auth.token_rejected";
  static final String CROSS_TENANT = "auth.cross_tenant_attempt";
  static final String TOKEN_REVOKED = "auth.token_revoked";
  static final String SESSIONS_REVOKED = "auth.sessions_revoked";

  private static final Logger LOG = LoggerFactory.getLogger(TokenAudit.class);
  private static final String ANONYMOUS = "anonymous";

  private final AuditLog log;

  TokenAudit(AuditLog log) {
    this.log = log;
  }

  /**
   * Records a refusal. A cross-tenant attempt is recorded in the issuer's tenant's chain and, if the claimed tenant
   * exists, in that tenant's chain as well, so that its own trail shows who tried to get in.
   */
  void rejected(TokenRejection rejection, Function<TenantId, Optional<TenantInfo>> tenants,
      @Nullable String sourceAddress, @Nullable String traceId) {
    boolean crossTenant = rejection.reason == InvalidTokenReason.CROSS_TENANT;
    record(rejectionEvent(rejection, rejection.tenant, crossTenant, sourceAddress, traceId));
    if (crossTenant && rejection.claimedTenant != null && tenants.apply(rejection.claimedTenant).isPresent()) {
      record(rejectionEvent(rejection, rejection.claimedTenant, true, sourceAddress, traceId));
    }
  }

  private static AuditEvent rejectionEvent(TokenRejection rejection, @Nullable TenantId chain, boolean crossTenant,
      @Nullable String sourceAddress, @Nullable String traceId) {
    AuditEvent.Builder event = AuditEvent.builder(AuditCategory.SECURITY, crossTenant ? CROSS_TENANT : REJECTED)
        .tenant(chain)
        .actor(AuditActorType.ANONYMOUS, rejection.subject == null ? ANONYMOUS : rejection.subject)
        .outcome(AuditOutcome.DENIED)
        .sourceAddress(sourceAddress)
        .traceId(traceId)
        .detail("reason", rejection.reason.code());
    if (rejection.issuer != null) {
      event.detail("issuer", rejection.issuer);
    }
    if (rejection.tenant != null) {
      event.detail("tenant", rejection.tenant.toString());
    }
    if (rejection.claimedTenant != null) {
      event.detail("claimedTenant", rejection.claimedTenant.toString());
    }
    return event.build();
  }

  void tokenRevoked(TenantPrincipal principal) {
    AuditEvent.Builder event = AuditEvent.builder(AuditCategory.SECURITY, TOKEN_REVOKED)
        .tenant(principal.tenant())
        .resource("token/" + principal.tokenId())
        .detail("subject", principal.subject());
    record(event.build());
  }

  void sessionsRevoked(TenantId tenant, String why) {
    record(AuditEvent.builder(AuditCategory.SECURITY, SESSIONS_REVOKED)
        .tenant(tenant)
        .resource("tenant/" + tenant)
        .detail("why", why)
        .build());
  }

  private void record(AuditEvent event) {
    try {
      log.record(event);
    } catch (RuntimeException e) {
      // The decision stands either way (a refusal stays a refusal); losing its record is worth an error in the log.
      LOG.error("could not record audit event {} ({}): {}", event.action(), event.details(), e.toString());
    }
  }
}
