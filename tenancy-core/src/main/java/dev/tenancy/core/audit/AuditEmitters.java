package dev.tenancy.core.audit;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.quota.QuotaAlert;
import dev.tenancy.core.spi.TenantEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Turns what core announces (lifecycle changes, platform access, quota alerts) into audit events. */
final class AuditEmitters {

  /** {@link AuditEvent}'s limit on a text: longer provisioning messages are cut rather than refused. */
  private static final int MAX_TEXT = 4096;

  private AuditEmitters() {
  }

  static void onLifecycle(AuditLog log, TenantEvent event) {
    log.record(lifecycleEvent(event));
    if (event.type() == TenantEvent.Type.PURGED) {
      log.eraseLater(event.tenant().id());
    }
  }

  static AuditEvent lifecycleEvent(TenantEvent event) {
    Tenant tenant = event.tenant();
    Tenant previous = event.previous();
    return switch (event.type()) {
      case CREATED -> lifecycle(event, tenant, AuditCategory.LIFECYCLE, "tenant.created", AuditOutcome.SUCCESS)
          .detail("status", tenant.status().name())
          .detail("tier", tenant.configuration().tier())
          .build();
      case UPDATED -> {
        AuditEvent.Builder builder = lifecycle(event, tenant, AuditCategory.CONFIGURATION, "tenant.updated",
            AuditOutcome.SUCCESS);
        if (previous != null) {
          List<String> changed = new ArrayList<>();
          if (!previous.displayName().equals(tenant.displayName())) {
            changed.add("displayName");
          }
          if (!previous.configuration().equals(tenant.configuration())) {
            changed.add("configuration");
          }
          builder.detail("changed", String.join(",", changed));
          if (!previous.configuration().tier().equals(tenant.configuration().tier())) {
            builder.detail("previousTier", previous.configuration().tier());
          }
        }
        yield builder.detail("tier", tenant.configuration().tier()).build();
      }
      case STATUS_CHANGED -> {
        // TenantService.delete without purging cancels the tenant: that is the deletion users see.
        boolean deleted = tenant.status() == TenantStatus.CANCELLED;
        AuditEvent.Builder builder = lifecycle(event, tenant, AuditCategory.LIFECYCLE,
            deleted ? "tenant.deleted" : "tenant.status_changed", AuditOutcome.SUCCESS)
            .detail("to", tenant.status().name());
        if (previous != null) {
          builder.detail("from", previous.status().name());
        }
        if (tenant.purgeAfter() != null) {
          builder.detail("purgeAfter", tenant.purgeAfter().toString());
        }
        yield builder.build();
      }
      case PROVISIONING_STEP_COMPLETED -> withDetail(lifecycle(event, tenant, AuditCategory.LIFECYCLE,
          "tenant.provisioning_step_completed", AuditOutcome.SUCCESS), "step", event.detail()).build();
      case PROVISIONING_FAILED -> withDetail(lifecycle(event, tenant, AuditCategory.LIFECYCLE,
          "tenant.provisioning_failed", AuditOutcome.FAILURE), "error", event.detail()).build();
      case PROVISIONING_ROLLED_BACK -> withDetail(lifecycle(event, tenant, AuditCategory.LIFECYCLE,
          "tenant.provisioning_rolled_back", AuditOutcome.FAILURE), "failedStep", event.detail()).build();
      // The tenant's own chain is erased with its data; the platform chain keeps the fact that it was purged.
      case PURGED -> lifecycle(event, null, AuditCategory.LIFECYCLE, "tenant.purged", AuditOutcome.SUCCESS)
          .detail("tenant", tenant.id().toString())
          .build();
    };
  }

  static AuditEvent platformAccess(PlatformAccess access) {
    return AuditEvent.builder(AuditCategory.PLATFORM_ACCESS, "platform.access")
        .timestamp(access.at())
        .tenant(access.tenant())
        .actor(AuditActorType.PLATFORM_OPERATOR, cut(access.actor()))
        .resource(access.tenant() == null ? "tenants" : "tenant/" + access.tenant())
        .detail("reason", cut(access.reason()))
        .detail("scope", access.tenant() == null ? "all_tenants" : "tenant")
        .build();
  }

  static AuditEvent quotaAlert(QuotaAlert alert) {
    boolean reached = alert.thresholdPercent() >= 100;
    String resource = alert.resource().name().toLowerCase(Locale.ROOT);
    return AuditEvent.builder(AuditCategory.QUOTA, reached ? "quota.exceeded" : "quota.threshold_crossed")
        .timestamp(alert.raisedAt())
        .tenant(alert.tenant())
        .resource("quota/" + resource)
        .outcome(reached ? AuditOutcome.DENIED : AuditOutcome.SUCCESS)
        .detail("slug", alert.slug().toString())
        .detail("resource", resource)
        .detail("thresholdPercent", Integer.toString(alert.thresholdPercent()))
        .detail("used", Long.toString(alert.used()))
        .detail("limit", Long.toString(alert.limit()))
        .detail("period", alert.period().toString())
        .build();
  }

  /** A lifecycle event's common parts; {@code chainOf} {@code null} puts it in the platform chain. */
  private static AuditEvent.Builder lifecycle(TenantEvent event, @Nullable Tenant chainOf, AuditCategory category,
      String action, AuditOutcome outcome) {
    AuditEvent.Builder builder = AuditEvent.builder(category, action)
        .timestamp(event.at())
        .tenant(chainOf == null ? null : chainOf.id())
        .resource("tenant/" + event.tenant().id())
        .outcome(outcome)
        .detail("slug", event.tenant().slug().toString());
    PlatformAccess access = event.access();
    if (access != null) {
      builder.actor(AuditActorType.PLATFORM_OPERATOR, cut(access.actor())).detail("reason", cut(access.reason()));
    }
    return builder;
  }

  private static AuditEvent.Builder withDetail(AuditEvent.Builder builder, String name, @Nullable String value) {
    return value == null || value.isBlank() ? builder : builder.detail(name, cut(value));
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
