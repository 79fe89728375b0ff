package dev.tenancy.servlet.admin;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.MigrationStatusView;
import dev.tenancy.core.data.MigrationSummary;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.data.TenantBackups;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.core.health.PlatformHealth;
import dev.tenancy.core.health.TenantHealth;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaUsage;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Usage, backups and restore, migration status and health: the rows that read or act on a tenant's operations. */
final class OperationHandlers {

  private final TenantService tenants;
  private final TenantHandlers lookup;
  private final @Nullable QuotaManager quotas;
  private final @Nullable TenantBackups backups;
  private final @Nullable MigrationStatusView migrations;
  private final @Nullable TenantHealthChecks health;

  OperationHandlers(TenantService tenants, TenantHandlers lookup, @Nullable QuotaManager quotas,
      @Nullable TenantBackups backups, @Nullable MigrationStatusView migrations,
      @Nullable TenantHealthChecks health) {
    this.tenants = tenants;
    this.lookup = lookup;
    this.quotas = quotas;
    this.backups = backups;
    this.migrations = migrations;
    this.health = health;
  }

  static <T> T require(@Nullable T service, String what, String option) {
    if (service == null) {
      throw AdminException.notFound(what + " is not configured on this server (TenantAdminServlet.builder()."
          + option + "(…))");
    }
    return service;
  }

  // ---------------------------------------------------------------- usage

  void usage(Exchange call, String id) throws IOException {
    call.operation("usage_read");
    QuotaManager manager = require(quotas, "Quota usage", "quotas");
    Tenant tenant = lookup.require(call, id);
    QuotaUsage usage = manager.usage(tenants.info(tenant));
    String period = usage.period().toString();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant", tenant.id().toString());
    body.put("period", period);
    body.put("periodEnd", usage.periodEnd().toString());
    body.put("apiCalls", meter(usage.apiCalls(), period));
    body.put("storageBytes", meter(usage.storageBytes(), null));
    body.put("concurrentUsers", meter(usage.concurrentUsers(), null));
    body.put("concurrentRequests", meter(usage.concurrentRequests(), null));
    QuotaUsage.Rate rate = usage.rate();
    Map<String, Object> rateLimit = new LinkedHashMap<>();
    rateLimit.put("limit", rate == null ? null : rate.requestsPerSecond());
    rateLimit.put("burst", rate == null ? null : rate.burst());
    rateLimit.put("remaining", rate == null ? null : rate.remaining());
    rateLimit.put("resetSeconds", rate == null ? null : Math.max(0, (rate.reset().toMillis() + 999) / 1000));
    body.put("rateLimit", rateLimit);
    call.json(200, body);
  }

  private static Map<String, Object> meter(QuotaUsage.Meter meter, @Nullable String period) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("used", meter.used());
    json.put("limit", meter.limit());
    if (period != null) {
      json.put("period", period);
    }
    return json;
  }

  // ---------------------------------------------------------------- backups

  void backup(Exchange call, String id) throws IOException {
    call.operation("backup_create");
    TenantBackups service = require(backups, "Backups", "backups");
    Tenant tenant = lookup.require(call, id);
    BackupSummary summary = service.backup(tenant.id());
    call.response.setHeader("Location", call.base() + "/tenants/" + tenant.id() + "/backups/"
        + summary.backupId());
    call.json(201, backupJson(summary));
  }

  void listBackups(Exchange call, String id) throws IOException {
    call.operation("backup_list");
    TenantBackups service = require(backups, "Backups", "backups");
    Tenant tenant = lookup.require(call, id);
    call.json(200, Map.of("items", service.list(tenant.id()).stream().map(OperationHandlers::backupJson).toList()));
  }

  private static Map<String, Object> backupJson(BackupSummary summary) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("backupId", summary.backupId());
    json.put("tenant", summary.tenant().toString());
    json.put("createdAt", summary.createdAt().toString());
    json.put("tables", summary.tables());
    json.put("rows", summary.rows());
    json.put("sha256", summary.sha256());
    return json;
  }

  void restore(Exchange call, String id) throws IOException {
    call.operation("backup_restore");
    TenantBackups service = require(backups, "Backups", "backups");
    Tenant tenant = lookup.require(call, id);
    Fields fields = Fields.of(call.body(), "", Set.of("backupId"));
    String backupId = fields.text("backupId", true);
    fields.throwIfInvalid();
    RestoreSummary summary;
    try {
      summary = service.restore(tenant.id(), backupId);
    } catch (BackupRefusedException refused) {
      throw refusal(refused);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("backupId", summary.backupId());
    json.put("tenant", summary.tenant().toString());
    json.put("restoredAt", summary.restoredAt().toString());
    json.put("tables", summary.tables());
    json.put("rowsRemoved", summary.rowsRemoved());
    json.put("rowsRestored", summary.rowsRestored());
    call.json(200, json);
  }

  /**
   * The status of a refused restore, as {@link BackupRefusedException.Reason} documents it. The detail is ours: the
   * exception's own may name the other tenant an archive belongs to.
   */
  static AdminException refusal(BackupRefusedException refused) {
    return switch (refused.reason()) {
      case TENANT_SERVING -> AdminException.conflict("The tenant is serving requests; suspend it before restoring "
          + "(POST …/tenants/{id}/suspend). Nothing was changed");
      case UNKNOWN_BACKUP -> AdminException.notFound("No backup '" + Fields.clip(refused.backupId())
          + "' for this tenant; list its backups with GET …/tenants/{id}/backups");
      case TAMPERED -> unprocessable("The archive does not match its manifest or signature: it was altered or "
          + "truncated. Nothing was changed");
      case FOREIGN_ROWS -> unprocessable("The archive holds rows of another tenant. Nothing was changed");
      case OTHER_TENANT -> unprocessable("The archive belongs to another tenant. Nothing was changed");
      case INCOMPATIBLE -> unprocessable("The archive's tables no longer match the tenant's schema (migrated since "
          + "the backup). Nothing was changed");
    };
  }

  private static AdminException unprocessable(String detail) {
    return new AdminException(422, "backup-refused", detail);
  }

  // ---------------------------------------------------------------- migrations

  void migrations(Exchange call) throws IOException {
    call.operation("migrations_read");
    MigrationStatusView view = require(migrations, "Migration status", "migrations");
    String stateText = call.param("state");
    List<TenantMigrationStatus> statuses;
    if (stateText == null) {
      statuses = view.statuses();
    } else {
      MigrationState state;
      try {
        state = MigrationState.valueOf(stateText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw AdminException.validation("state", "must be one of " + Arrays.toString(MigrationState.values())
            + ", was '" + Fields.clip(stateText) + "'");
      }
      statuses = view.statuses(state);
    }
    MigrationSummary summary = view.summary();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("pending", summary.pending());
    counts.put("running", summary.running());
    counts.put("done", summary.done());
    counts.put("failed", summary.failed());
    counts.put("total", summary.total());
    call.json(200, Map.of("summary", counts, "items", statuses.stream().map(OperationHandlers::migration).toList()));
  }

  void migration(Exchange call, String id) throws IOException {
    call.operation("migration_read");
    MigrationStatusView view = require(migrations, "Migration status", "migrations");
    Tenant tenant = lookup.require(call, id);
    TenantMigrationStatus status = view.statusOf(tenant.id()).orElseThrow(() -> AdminException.notFound(
        "No migration run has recorded this tenant (it may share a schema with other tenants; see GET "
            + "…/admin/migrations)"));
    call.json(200, migration(status));
  }

  private static Map<String, Object> migration(TenantMigrationStatus status) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("target", status.target());
    json.put("tenant", status.tenant() == null ? null : status.tenant().toString());
    json.put("shared", status.shared());
    json.put("location", status.location());
    json.put("state", status.state().name());
    json.put("versionBefore", status.versionBefore());
    json.put("versionAfter", status.versionAfter());
    json.put("error", status.error());
    json.put("attempts", status.attempts());
    json.put("runId", status.runId());
    json.put("startedAt", text(status.startedAt()));
    json.put("finishedAt", text(status.finishedAt()));
    json.put("leaseUntil", text(status.leaseUntil()));
    json.put("updatedAt", status.updatedAt().toString());
    return json;
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  // ---------------------------------------------------------------- health

  void tenantHealth(Exchange call, String id, Map<String, CheckResult> extra) throws IOException,
      InterruptedException {
    call.operation("health_read");
    TenantHealthChecks checks = require(health, "Health checks", "health");
    Tenant tenant = lookup.require(call, id);
    TenantHealth result = checks.check(tenant);
    Map<String, CheckResult> all = new LinkedHashMap<>(result.checks());
    all.putAll(extra);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("tenant", tenant.id().toString());
    json.put("slug", tenant.slug().value());
    json.put("tenantStatus", tenant.status().name());
    putChecks(json, all);
    call.json(200, json);
  }

  void platformHealth(Exchange call, Map<String, CheckResult> extra) throws IOException, InterruptedException {
    call.operation("platform_health_read");
    TenantHealthChecks checks = require(health, "Health checks", "health");
    PlatformHealth result = checks.checkPlatform();
    Map<String, CheckResult> all = new LinkedHashMap<>(result.checks());
    all.putAll(extra);
    Map<String, Object> json = new LinkedHashMap<>();
    putChecks(json, all);
    call.json(200, json);
  }

  private static void putChecks(Map<String, Object> json, Map<String, CheckResult> checks) {
    json.put("status", HealthStatus.worst(checks.values().stream().map(CheckResult::status).toList()).name());
    Map<String, Object> each = new LinkedHashMap<>();
    checks.forEach((name, result) -> {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("status", result.status().name());
      check.put("detail", result.detail());
      check.put("facts", result.facts());
      each.put(name, check);
    });
    json.put("checks", each);
  }

  /** The quota store check the admin API adds to a tenant's health: can its usage be read right now. */
  @Nullable CheckResult quotaCheck(@Nullable TenantId tenantId) {
    if (quotas == null || tenantId == null) {
      return null;
    }
    try {
      Tenant tenant = tenants.find(tenantId).orElse(null);
      if (tenant == null) {
        return null;
      }
      QuotaUsage usage = quotas.usage(tenants.info(tenant));
      return CheckResult.up("quota counters readable").withFact("apiCallsUsed", usage.apiCalls().used());
    } catch (RuntimeException e) {
      return CheckResult.down("the quota store cannot be read (" + e.getClass().getSimpleName()
          + "); requests are refused or unlimited depending on the filter's policy");
    }
  }
}
