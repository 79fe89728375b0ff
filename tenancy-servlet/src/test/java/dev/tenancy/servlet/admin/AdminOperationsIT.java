package dev.tenancy.servlet.admin;

import static dev.tenancy.servlet.admin.AdminFixture.json;
import static dev.tenancy.servlet.admin.TenantAdminServletIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.lifecycle.NewTenant;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Usage, audit, backups, migrations, health, metrics and alerts over real HTTP. */
class AdminOperationsIT {

  private static AdminFixture fx;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new AdminFixture();
    token = fx.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  private static Tenant tenant(Map<String, Long> limits) {
    String slug = "op-" + UUID.randomUUID().toString().substring(0, 8);
    return fx.tenants.create(NewTenant.of(slug, "Ops " + slug).withLimits(limits));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return fx.send(fx.admin(path, token).GET());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return fx.send(fx.admin(path, token).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)));
  }

  // ---------------------------------------------------------------- usage

  @Test
  void usage_countsAdmittedCallsAgainstTheLimit() throws Exception {
    Tenant tenant = tenant(Map.of("apiCallsPerMonth", 1000L));
    for (int i = 0; i < 3; i++) {
      fx.quotas.check(fx.tenants.info(tenant));
    }
    HttpResponse<String> response = get("/tenants/" + tenant.slug() + "/usage");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode usage = json(response);
    assertThat(usage.get("apiCalls").get("used").asLong()).isEqualTo(3);
    assertThat(usage.get("apiCalls").get("limit").asLong()).isEqualTo(1000);
    assertThat(usage.get("apiCalls").get("period").asText()).matches("\\d{4}-\\d\\d");
    assertThat(usage.has("storageBytes")).isTrue();
    assertThat(usage.has("concurrentUsers")).isTrue();
    assertThat(usage.get("rateLimit").get("limit").asLong()).isEqualTo(5);
    assertProblem(get("/tenants/" + UUID.randomUUID() + "/usage"), 404, "not-found");
  }

  // ---------------------------------------------------------------- audit

  private static void record(Tenant tenant, String action, String actor) {
    fx.audit.record(AuditEvent.builder(AuditCategory.DATA_ACCESS, action).tenant(tenant.id())
        .actor(AuditActorType.USER, actor).sourceAddress("203.0.113.9").build());
  }

  @Test
  void auditExport_jsonl_streamsOneEventPerLine_onlyThatTenants() throws Exception {
    Tenant tenant = tenant(Map.of());
    Tenant other = tenant(Map.of());
    record(tenant, "lead.read", "alice@example.com");
    record(tenant, "lead.updated", "alice@example.com");
    record(other, "lead.read", "mallory@example.com");

    HttpResponse<String> response = get("/tenants/" + tenant.id() + "/audit?format=jsonl");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/jsonl");
    String[] lines = response.body().split("\n");
    assertThat(lines.length).isGreaterThanOrEqualTo(3); // created + provisioned lifecycle events, and ours
    for (String line : lines) {
      JsonNode event = AdminFixture.JSON.readTree(line);
      assertThat(event.get("chain").asText()).isEqualTo(tenant.id().toString());
    }
    assertThat(response.body()).contains("lead.updated", "alice@example.com")
        .doesNotContain("mallory", other.id().toString());
  }

  @Test
  void auditExport_csvAnonymisedAndRanged() throws Exception {
    Tenant tenant = tenant(Map.of());
    record(tenant, "lead.read", "bob@example.com");
    HttpResponse<String> csv = get("/tenants/" + tenant.id() + "/audit?format=csv&anonymize=true");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("sequence,timestamp,id,tenant,category,action,actor")
        .contains("lead.read").doesNotContain("bob@example.com", "203.0.113.9");

    HttpResponse<String> empty = get("/tenants/" + tenant.id() + "/audit?from=2000-01-01T00:00:00Z"
        + "&to=2000-01-02T00:00:00Z");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).isEmpty();

    HttpResponse<String> badFormat = get("/tenants/" + tenant.id() + "/audit?format=xml");
    assertProblem(badFormat, 400, "validation-failed");
    assertThat(json(badFormat).get("errors").get(0).get("field").asText()).isEqualTo("format");
    HttpResponse<String> badFrom = get("/tenants/" + tenant.id() + "/audit?from=yesterday");
    assertThat(json(badFrom).get("errors").get(0).get("field").asText()).isEqualTo("from");
    assertProblem(get("/tenants/" + tenant.id() + "/audit?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z"),
        400, "validation-failed");
  }

  @Test
  void auditVerify_intactThenTampered_reportsTheFirstBadPosition() throws Exception {
    Tenant tenant = tenant(Map.of());
    for (int i = 0; i < 4; i++) {
      record(tenant, "lead.read", "carol");
    }
    fx.audit.flush();
    HttpResponse<String> intact = get("/audit/verify?tenant=" + tenant.slug());
    assertThat(intact.statusCode()).as(intact.body()).isEqualTo(200);
    JsonNode ok = json(intact);
    assertThat(ok.get("valid").asBoolean()).isTrue();
    assertThat(ok.get("events").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(ok.get("head").asText()).matches("[0-9a-f]{64}");

    fx.sink.tamper(tenant.id().toString(), records -> {
      List<dev.tenancy.core.audit.AuditRecord> copy = new ArrayList<>(records);
      copy.remove(1);
      return copy;
    });
    JsonNode broken = json(get("/audit/verify?tenant=" + tenant.id()));
    assertThat(broken.get("valid").asBoolean()).isFalse();
    assertThat(broken.get("firstBadPosition").asLong()).isEqualTo(2);
    assertThat(broken.get("problem").asText()).isNotBlank();

    JsonNode platform = json(get("/audit/verify"));
    assertThat(platform.get("chain").asText()).isEqualTo("platform");
    assertProblem(get("/audit/verify?tenant=nobody-here"), 404, "not-found");
  }

  // ---------------------------------------------------------------- backups

  @Test
  void backupAndRestore_refusedWhileServing_thenRestoredAfterSuspend() throws Exception {
    Tenant tenant = tenant(Map.of());
    HttpResponse<String> created = post("/tenants/" + tenant.id() + "/backups", "");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode backup = json(created);
    String backupId = backup.get("backupId").asText();
    assertThat(backup.get("tables").get("leads").asLong()).isEqualTo(3);
    assertThat(backup.get("rows").asLong()).isEqualTo(3);
    assertThat(backup.get("sha256").asText()).hasSize(64);
    assertThat(created.headers().firstValue("Location").orElse("")).endsWith("/backups/" + backupId);
    assertThat(json(get("/tenants/" + tenant.id() + "/backups")).get("items")).hasSize(1);

    String restore = "{\"backupId\":\"" + backupId + "\"}";
    assertProblem(post("/tenants/" + tenant.id() + "/restore", restore), 409, "conflict");
    fx.tenants.suspend(tenant.id());
    HttpResponse<String> restored = post("/tenants/" + tenant.id() + "/restore", restore);
    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    assertThat(json(restored).get("rowsRestored").asLong()).isEqualTo(3);

    assertProblem(post("/tenants/" + tenant.id() + "/restore", "{\"backupId\":\"b-99\"}"), 404, "not-found");
    HttpResponse<String> tampered = post("/tenants/" + tenant.id() + "/restore", "{\"backupId\":\"tampered\"}");
    assertThat(tampered.statusCode()).isEqualTo(422);
    assertThat(json(tampered).get("type").asText()).isEqualTo("https://tenancy.dev/problems/backup-refused");
    HttpResponse<String> foreign = post("/tenants/" + tenant.id() + "/restore", "{\"backupId\":\"foreign\"}");
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.body()).doesNotContain(fx.backups.otherTenant.toString());
    HttpResponse<String> missing = post("/tenants/" + tenant.id() + "/restore", "{}");
    assertProblem(missing, 400, "validation-failed");
    assertThat(json(missing).get("errors").get(0).get("field").asText()).isEqualTo("backupId");
  }

  @Test
  void backupFailure_500Internal_leaksNeitherSqlNorOtherTenant() throws Exception {
    Tenant tenant = tenant(Map.of());
    fx.backups.failing = true;
    try {
      HttpResponse<String> failed = post("/tenants/" + tenant.id() + "/backups", "");
      assertProblem(failed, 500, "internal");
      assertThat(failed.body()).doesNotContain(fx.backups.otherTenant.toString(), "SELECT", "IllegalState");
    } finally {
      fx.backups.failing = false;
    }
  }

  // ---------------------------------------------------------------- migrations

  @Test
  void migrations_listWithSummary_tenantStatus_and404WhenNoneRecorded() throws Exception {
    Tenant done = tenant(Map.of());
    Tenant failed = tenant(Map.of());
    fx.migrations.add(done.id(), MigrationState.DONE, null);
    fx.migrations.add(failed.id(), MigrationState.FAILED, "V3 failed: column exists");
    JsonNode all = json(get("/migrations"));
    assertThat(all.get("summary").get("failed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(all.get("items").size()).isGreaterThanOrEqualTo(2);
    JsonNode onlyFailed = json(get("/migrations?state=failed"));
    onlyFailed.get("items").forEach(item -> assertThat(item.get("state").asText()).isEqualTo("FAILED"));
    HttpResponse<String> one = get("/tenants/" + failed.slug() + "/migration");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(json(one).get("error").asText()).contains("V3 failed");
    assertProblem(get("/tenants/" + tenant(Map.of()).id() + "/migration"), 404, "not-found");
    assertProblem(get("/migrations?state=sideways"), 400, "validation-failed");
  }

  // ---------------------------------------------------------------- health

  @Test
  void tenantHealth_upWithEveryCheck_downWhenItsDatabaseIs() throws Exception {
    Tenant tenant = tenant(Map.of());
    JsonNode up = json(get("/tenants/" + tenant.id() + "/health"));
    assertThat(up.get("status").asText()).isEqualTo("UP");
    assertThat(up.get("checks").get("database").get("facts").get("pool").asText()).isEqualTo("4/10");
    assertThat(up.get("checks").has("quota-store")).isTrue();
    assertThat(up.get("checks").get("alerts").get("status").asText()).isEqualTo("UP");

    fx.brokenDatabases.add(tenant.id());
    JsonNode down = json(get("/tenants/" + tenant.slug() + "/health"));
    assertThat(down.get("status").asText()).isEqualTo("DOWN");
    assertThat(down.get("checks").get("database").get("status").asText()).isEqualTo("DOWN");

    JsonNode platform = json(get("/health"));
    assertThat(platform.get("status").asText()).isEqualTo("UP");
    assertThat(platform.get("checks").get("database").get("status").asText()).isEqualTo("UP");
  }

  // ---------------------------------------------------------------- metrics and alerts

  @Test
  void metricsAndUsage_afterRealTrafficThroughTheFilter_countRequestsAndTheThrottledCall() throws Exception {
    HttpResponse<String> created = post("/tenants", "{\"slug\":\"traffic-" + UUID.randomUUID().toString()
        .substring(0, 6) + "\",\"displayName\":\"Traffic\",\"limits\":{\"apiCallsPerMonth\":3}}");
    JsonNode tenant = json(created);
    String tenantToken = fx.token(tenant.get("credentials").get("apiKey").asText());
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(fx.send(java.net.http.HttpRequest.newBuilder(fx.base.resolve("/api/v1/ping"))
          .header("Authorization", "Bearer " + tenantToken).GET()).statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429);

    JsonNode usage = json(get("/tenants/" + tenant.get("id").asText() + "/usage"));
    assertThat(usage.get("apiCalls").get("used").asLong()).isEqualTo(3);
    JsonNode one = json(get("/metrics?tenant=" + tenant.get("slug").asText())).get("items").get(0);
    assertThat(one.get("tenant").asText()).isEqualTo(tenant.get("id").asText());
    assertThat(one.get("requests").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(one.get("throttled").asLong()).isEqualTo(1);
    assertThat(one.has("p95Ms")).isTrue();
    assertThat(one.get("quota").get("apiCalls").get("limit").asLong()).isEqualTo(3);
    JsonNode all = json(get("/metrics"));
    assertThat(all.get("items").findValuesAsText("tenant")).contains(tenant.get("id").asText());
    assertThat(json(get("/alerts?tenant=" + tenant.get("id").asText())).get("items").findValuesAsText("kind"))
        .contains("QUOTA");
  }

  @Test
  void alerts_quotaThresholdAppears_andCanBeResolved() throws Exception {
    Tenant tenant = tenant(Map.of("apiCallsPerMonth", 10L));
    for (int i = 0; i < 9; i++) {
      fx.quotas.check(fx.tenants.info(tenant));
    }
    JsonNode alerts = json(get("/alerts?tenant=" + tenant.id())).get("items");
    assertThat(alerts.size()).isGreaterThanOrEqualTo(1);
    JsonNode alert = alerts.get(0);
    assertThat(alert.get("kind").asText()).isEqualTo("QUOTA");
    assertThat(alert.get("slug").asText()).isEqualTo(tenant.slug().value());
    assertThat(json(get("/tenants/" + tenant.id() + "/health")).get("checks").get("alerts").get("facts")
        .get("openAlerts").asInt()).isGreaterThanOrEqualTo(1);

    HttpResponse<String> resolved = post("/alerts/" + alert.get("id").asText() + "/resolve", "");
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(json(get("/alerts")).findValuesAsText("id")).doesNotContain(alert.get("id").asText());
    assertProblem(post("/alerts/" + alert.get("id").asText() + "/resolve", ""), 404, "not-found");
  }

  // ---------------------------------------------------------------- absent services

  @Test
  void optionalServicesAbsent_404NotFoundNamingTheBuilderOption() throws Exception {
    try (AdminFixture bare = new AdminFixture(false)) {
      String bareToken = bare.adminToken();
      Tenant tenant = bare.tenants.create(NewTenant.of("bare-" + UUID.randomUUID().toString().substring(0, 6),
          "Bare"));
      for (String path : List.of("/tenants/" + tenant.id() + "/usage", "/tenants/" + tenant.id() + "/audit",
          "/audit/verify", "/tenants/" + tenant.id() + "/health", "/health", "/migrations", "/metrics", "/alerts",
          "/tenants/" + tenant.id() + "/backups")) {
        HttpResponse<String> response = bare.send(bare.admin(path, bareToken).GET());
        assertProblem(response, 404, "not-found");
        assertThat(json(response).get("detail").asText()).as(path).contains("not configured", "builder()");
      }
      HttpResponse<String> created = bare.send(bare.admin("/tenants", bareToken)
          .header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString("{\"slug\":\"nokey\",\"displayName\":\"No key\"}")));
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(json(created).has("credentials")).isFalse();
      assertThat(TenantId.isValid(json(created).get("id").asText())).isTrue();
    }
  }
}
