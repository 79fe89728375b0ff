package dev.tenancy.servlet.admin;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.alert.Alert;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertSeverity;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.metrics.TenantRequestStats;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaUsage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Metrics and alerts: what the dashboard polls. */
final class MonitoringHandlers {

  private final TenantService tenants;
  private final TenantHandlers lookup;
  private final @Nullable TenantMetricsView metrics;
  private final @Nullable AlertCenter alerts;
  private final @Nullable QuotaManager quotas;

  MonitoringHandlers(TenantService tenants, TenantHandlers lookup, @Nullable TenantMetricsView metrics,
      @Nullable AlertCenter alerts, @Nullable QuotaManager quotas) {
    this.tenants = tenants;
    this.lookup = lookup;
    this.metrics = metrics;
    this.alerts = alerts;
    this.quotas = quotas;
  }

  void metrics(Exchange call) throws IOException {
    call.operation("metrics_read");
    TenantMetricsView view = OperationHandlers.require(metrics, "Request metrics", "metrics");
    String tenantParam = call.param("tenant");
    List<Map<String, Object>> items;
    if (tenantParam != null) {
      Tenant tenant = lookup.require(call, tenantParam);
      items = List.of(stats(view.stats(tenant.id()), Optional.of(tenant)));
    } else {
      items = view.all().stream().map(s -> stats(s, tenants.find(s.tenant()))).toList();
    }
    call.json(200, Map.of("items", items));
  }

  private Map<String, Object> stats(TenantRequestStats stats, Optional<Tenant> tenant) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("tenant", stats.tenant().toString());
    json.put("slug", tenant.map(t -> t.slug().value()).orElse(null));
    json.put("requests", stats.requests());
    json.put("errors", stats.errors());
    json.put("p50Ms", stats.p50Ms());
    json.put("p95Ms", stats.p95Ms());
    json.put("p99Ms", stats.p99Ms());
    json.put("throttled", stats.throttled());
    json.put("slaP95TargetMs", stats.slaP95TargetMs());
    json.put("slaBreached", stats.slaBreached());
    json.put("quota", quota(tenant.orElse(null)));
    return json;
  }

  /** API calls this period against the limit, or {@code null} without quotas. */
  private @Nullable Map<String, Object> quota(@Nullable Tenant tenant) {
    if (quotas == null || tenant == null) {
      return null;
    }
    QuotaUsage usage = quotas.usage(tenants.info(tenant));
    Map<String, Object> apiCalls = new LinkedHashMap<>();
    apiCalls.put("used", usage.apiCalls().used());
    apiCalls.put("limit", usage.apiCalls().limit());
    apiCalls.put("period", usage.period().toString());
    Long limit = usage.apiCalls().limit();
    apiCalls.put("percent", limit == null || limit == 0 ? null : Math.round(100.0 * usage.apiCalls().used() / limit));
    return Map.of("apiCalls", apiCalls);
  }

  void alerts(Exchange call) throws IOException {
    call.operation("alerts_read");
    AlertCenter center = OperationHandlers.require(alerts, "Alerts", "alerts");
    String tenantParam = call.param("tenant");
    List<Alert> open = tenantParam == null ? center.open() : center.open(lookup.require(call, tenantParam).id());
    call.json(200, Map.of("items", open.stream().map(this::alert).toList()));
  }

  void resolve(Exchange call, String id) throws IOException {
    call.operation("alert_resolve");
    AlertCenter center = OperationHandlers.require(alerts, "Alerts", "alerts");
    Alert alert = center.find(id).orElseThrow(() -> AdminException.notFound("No open alert '" + Fields.clip(id)
        + "'"));
    if (alert.tenant() != null) {
      call.target(alert.tenant());
    }
    center.resolve(id);
    call.json(200, alert(alert));
  }

  private Map<String, Object> alert(Alert alert) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", alert.id());
    json.put("tenant", alert.tenant() == null ? null : alert.tenant().toString());
    json.put("slug", alert.tenant() == null ? null
        : tenants.find(alert.tenant()).map(t -> t.slug().value()).orElse(null));
    json.put("kind", alert.kind().name());
    json.put("severity", alert.severity().name());
    json.put("key", alert.key());
    json.put("message", alert.message());
    json.put("raisedAt", alert.raisedAt().toString());
    return json;
  }

  /** The open-alerts check the admin API adds to a tenant's health. */
  @Nullable CheckResult alertCheck(TenantId tenant) {
    if (alerts == null) {
      return null;
    }
    List<Alert> open = alerts.open(tenant);
    long serious = open.stream().filter(a -> a.severity() != AlertSeverity.INFO).count();
    CheckResult result = serious > 0
        ? CheckResult.degraded(serious + " open alert(s) of severity WARNING or CRITICAL; see GET …/admin/alerts")
        : CheckResult.up(open.isEmpty() ? "no open alerts" : open.size() + " informational alert(s) open");
    return result.withFact("openAlerts", open.size());
  }
}
