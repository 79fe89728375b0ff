package dev.tenancy.servlet.admin;

import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit event of every admin call: {@code admin.<operation>} (category {@code PLATFORM_ACCESS}) with the actor, the
 * target tenant, the request line, the status and the reason; a refused caller is {@code admin.access_denied}
 * ({@code SECURITY}).
 */
final class CallAudit {

  private static final Logger LOG = LoggerFactory.getLogger(CallAudit.class);

  private CallAudit() {
  }

  static void record(@Nullable AuditLog audit, Exchange call) {
    if (audit == null) {
      return;
    }
    try {
      int status = call.status() == 0 ? call.response.getStatus() : call.status();
      audit.record(AuditEvent.builder(AuditCategory.PLATFORM_ACCESS, "admin." + call.operation())
          .tenant(call.target())
          .actor(AuditActorType.PLATFORM_OPERATOR, call.principal.subject())
          .resource(Fields.clip(call.method() + " " + call.request.getRequestURI()))
          .outcome(status < 400 ? AuditOutcome.SUCCESS : status == 401 || status == 403 ? AuditOutcome.DENIED
              : AuditOutcome.FAILURE)
          .traceId(call.traceId)
          .sourceAddress(call.request.getRemoteAddr())
          .detail("reason", call.reason)
          .detail("status", Integer.toString(status))
          .build());
    } catch (RuntimeException e) {
      // The call has been answered; a failing audit log is the log's own alarm (it counts dropped events).
      LOG.warn("Could not audit admin API call {} (trace {}): {}", call.operation(), call.traceId, e.toString());
    }
  }

  static void denied(@Nullable AuditLog audit, HttpServletRequest request, TenantPrincipal principal,
      String traceId) {
    if (audit == null) {
      return;
    }
    try {
      audit.record(AuditEvent.builder(AuditCategory.SECURITY, "admin.access_denied")
          .tenant(principal.tenant())
          .actor(principal.isPlatform() ? AuditActorType.PLATFORM_OPERATOR : AuditActorType.USER,
              principal.subject())
          .resource(Fields.clip(request.getMethod() + " " + request.getRequestURI()))
          .outcome(AuditOutcome.DENIED)
          .traceId(traceId)
          .sourceAddress(request.getRemoteAddr())
          .detail("roles", String.join(",", principal.roles().stream().sorted().toList()))
          .build());
    } catch (RuntimeException e) {
      LOG.warn("Could not audit a refused admin API call (trace {}): {}", traceId, e.toString());
    }
  }
}
