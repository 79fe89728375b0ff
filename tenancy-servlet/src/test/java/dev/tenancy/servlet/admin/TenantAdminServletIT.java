package dev.tenancy.servlet.admin;

import static dev.tenancy.servlet.admin.AdminFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.identity.TenantPrincipal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tenant rows of the admin API over real HTTP: create, list, read, change, delete, bulk, and who may call. */
class TenantAdminServletIT {

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

  private static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return fx.send(fx.admin(path, token).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)));
  }

  static HttpResponse<String> get(String path) throws Exception {
    return fx.send(fx.admin(path, token).GET());
  }

  static JsonNode create(String slug) throws Exception {
    HttpResponse<String> created = post("/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\"Tenant " + slug
        + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created);
  }

  static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://tenancy.dev/problems/" + code);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("traceId").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "at dev.tenancy", "SELECT");
  }

  // ---------------------------------------------------------------- create

  @Test
  void create_validBody_201WithLocationEtagAndAKeyShownOnceThatAuthenticatesForTheTenant() throws Exception {
    String slug = slug("acme");
    HttpResponse<String> created = post("/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\"Acme Realty\","
        + "\"tier\":\"pro\",\"status\":\"ACTIVE\",\"featureFlags\":{\"leadScoring\":true},"
        + "\"limits\":{\"apiCallsPerMonth\":1000}}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = json(created);
    String id = body.get("id").asText();
    assertThat(TenantId.isValid(id)).isTrue();
    assertThat(body.get("slug").asText()).isEqualTo(slug);
    assertThat(body.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(body.get("tier").asText()).isEqualTo("pro");
    assertThat(body.get("limits").get("apiCallsPerMonth").asLong()).isEqualTo(1000);
    assertThat(body.get("featureFlags").get("leadScoring").asBoolean()).isTrue();
    assertThat(body.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/admin/tenants/" + id);
    assertThat(created.headers().firstValue("ETag")).hasValue("\"" + body.get("version").asLong() + "\"");

    String apiKey = body.get("credentials").get("apiKey").asText();
    TenantPrincipal tenantAdmin = fx.tokens.verify(fx.token(apiKey));
    assertThat(tenantAdmin.tenant()).isEqualTo(TenantId.of(id));
    assertThat(tenantAdmin.roles()).containsExactly("tenant_admin");

    HttpResponse<String> read = fx.send(HttpRequest.newBuilder(fx.base.resolve(created.headers()
        .firstValue("Location").orElseThrow())).header("Authorization", "Bearer " + token).GET());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).doesNotContain("credentials", apiKey);
  }

  @Test
  void create_invalidSlug_400NamingTheSlug() throws Exception {
    HttpResponse<String> response = post("/tenants", "{\"slug\":\"Bad Slug!\",\"displayName\":\"x\"}");
    assertProblem(response, 400, "validation-failed");
    assertThat(json(response).get("errors").get(0).get("field").asText()).isEqualTo("slug");
  }

  @Test
  void create_severalBadFields_400NamingEachField() throws Exception {
    HttpResponse<String> response = post("/tenants", "{\"displayName\":42,\"status\":\"SUSPENDED\","
        + "\"limits\":{\"apiCallsPerMonth\":\"lots\"},\"colour\":\"red\"}");
    assertProblem(response, 400, "validation-failed");
    List<String> fields = new ArrayList<>();
    json(response).get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertThat(fields).contains("slug", "displayName", "status", "limits.apiCallsPerMonth", "colour");
  }

  @Test
  void create_unknownTierOrNegativeLimit_400NamingTheField() throws Exception {
    HttpResponse<String> tier = post("/tenants", "{\"slug\":\"" + slug("t") + "\",\"displayName\":\"x\","
        + "\"tier\":\"platinum\"}");
    assertProblem(tier, 400, "validation-failed");
    assertThat(json(tier).get("errors").get(0).get("field").asText()).isEqualTo("tier");
    HttpResponse<String> limit = post("/tenants", "{\"slug\":\"" + slug("t") + "\",\"displayName\":\"x\","
        + "\"limits\":{\"apiCallsPerMonth\":-1}}");
    assertProblem(limit, 400, "validation-failed");
    assertThat(json(limit).get("errors").get(0).get("field").asText()).startsWith("limits");
  }

  @Test
  void create_takenSlug_409Conflict() throws Exception {
    String slug = slug("taken");
    create(slug);
    assertProblem(post("/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\"Again\"}"), 409, "conflict");
  }

  // ---------------------------------------------------------------- list and read

  @Test
  void list_filtersByStatusTierAndTextAndPages() throws Exception {
    String marker = "lst" + UUID.randomUUID().toString().substring(0, 6);
    for (int i = 0; i < 3; i++) {
      create(marker + "-" + i);
    }
    post("/tenants", "{\"slug\":\"" + marker + "-pro\",\"displayName\":\"P\",\"tier\":\"pro\",\"status\":\"ACTIVE\"}");

    JsonNode page0 = json(get("/tenants?q=" + marker + "&size=2&page=0"));
    assertThat(page0.get("total").asLong()).isEqualTo(4);
    assertThat(page0.get("size").asInt()).isEqualTo(2);
    assertThat(page0.get("items")).hasSize(2);
    JsonNode page1 = json(get("/tenants?q=" + marker + "&size=2&page=1"));
    assertThat(page1.get("page").asInt()).isEqualTo(1);
    assertThat(page1.get("items").get(0).get("slug").asText()).isEqualTo(marker + "-2");

    JsonNode pro = json(get("/tenants?q=" + marker + "&tier=pro"));
    assertThat(pro.get("total").asLong()).isEqualTo(1);
    JsonNode active = json(get("/tenants?q=" + marker + "&status=active"));
    assertThat(active.get("items").get(0).get("slug").asText()).isEqualTo(marker + "-pro");
    JsonNode trial = json(get("/tenants?q=" + marker + "&status=TRIAL"));
    assertThat(trial.get("total").asLong()).isEqualTo(3);
  }

  @Test
  void list_unknownStatusOrBadPaging_400NamingTheParameter() throws Exception {
    HttpResponse<String> status = get("/tenants?status=SLEEPING");
    assertProblem(status, 400, "validation-failed");
    assertThat(json(status).get("errors").get(0).get("field").asText()).isEqualTo("status");
    HttpResponse<String> size = get("/tenants?size=0");
    assertProblem(size, 400, "validation-failed");
    assertThat(json(size).get("errors").get(0).get("field").asText()).isEqualTo("size");
    assertProblem(get("/tenants?page=x"), 400, "validation-failed");
  }

  @Test
  void get_byUuidOrSlug_200_unknown404() throws Exception {
    String slug = slug("read");
    JsonNode created = create(slug);
    HttpResponse<String> byId = get("/tenants/" + created.get("id").asText());
    HttpResponse<String> bySlug = get("/tenants/" + slug);
    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(json(byId).get("slug").asText()).isEqualTo(slug);
    assertThat(json(bySlug).get("id").asText()).isEqualTo(created.get("id").asText());
    assertThat(bySlug.headers().firstValue("ETag")).hasValue("\"1\"");
    assertProblem(get("/tenants/" + UUID.randomUUID()), 404, "not-found");
    assertProblem(get("/tenants/no-such-tenant"), 404, "not-found");
    assertProblem(get("/tenants/%27%20OR%201%3D1--"), 404, "not-found");
  }

  // ---------------------------------------------------------------- change

  static HttpResponse<String> put(String path, String body, String ifMatch) throws Exception {
    HttpRequest.Builder request = fx.admin(path, token).header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString(body));
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return fx.send(request);
  }

  @Test
  void put_withCurrentIfMatch_200NewEtag_staleIfMatch409() throws Exception {
    JsonNode created = create(slug("put"));
    String path = "/tenants/" + created.get("id").asText();
    HttpResponse<String> changed = put(path, "{\"displayName\":\"Renamed\",\"tier\":\"pro\","
        + "\"limits\":{\"apiCallsPerMonth\":5},\"apiVersion\":\"2025-01-01\"}", "\"1\"");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(json(changed).get("displayName").asText()).isEqualTo("Renamed");
    assertThat(json(changed).get("tier").asText()).isEqualTo("pro");
    assertThat(changed.headers().firstValue("ETag")).hasValue("\"2\"");
    assertThat(fx.tenants.require(created.get("id").asText()).displayName()).isEqualTo("Renamed");

    HttpResponse<String> stale = put(path, "{\"displayName\":\"Lost update\"}", "\"1\"");
    assertProblem(stale, 409, "conflict");
    assertThat(fx.tenants.require(created.get("id").asText()).displayName()).isEqualTo("Renamed");
    assertThat(put(path, "{\"displayName\":\"No precondition\"}", null).statusCode()).isEqualTo(200);
  }

  @Test
  void put_illegalTransition409_settingDeleted400_badIfMatch400() throws Exception {
    JsonNode created = create(slug("trans"));
    String path = "/tenants/" + created.get("id").asText();
    assertThat(put(path, "{\"status\":\"CANCELLED\"}", null).statusCode()).isEqualTo(200);
    assertProblem(put(path, "{\"status\":\"ACTIVE\"}", null), 409, "conflict");
    HttpResponse<String> deleted = put(path, "{\"status\":\"DELETED\"}", null);
    assertProblem(deleted, 400, "validation-failed");
    assertThat(json(deleted).get("errors").get(0).get("field").asText()).isEqualTo("status");
    HttpResponse<String> badEtag = put(path, "{\"displayName\":\"x\"}", "yesterday");
    assertProblem(badEtag, 400, "validation-failed");
    assertThat(json(badEtag).get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
    HttpResponse<String> slug = put(path, "{\"slug\":\"renamed\"}", null);
    assertProblem(slug, 400, "validation-failed");
    assertThat(json(slug).get("errors").get(0).get("field").asText()).isEqualTo("slug");
  }

  @Test
  void suspendAndActivate_conveniences_changeStatus() throws Exception {
    String slug = slug("sus");
    create(slug);
    HttpResponse<String> suspended = post("/tenants/" + slug + "/suspend", "");
    assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
    assertThat(json(suspended).get("status").asText()).isEqualTo("SUSPENDED");
    assertProblem(post("/tenants/" + slug + "/suspend", ""), 409, "conflict");
    assertThat(json(post("/tenants/" + slug + "/activate", "")).get("status").asText()).isEqualTo("ACTIVE");
  }

  // ---------------------------------------------------------------- delete

  @Test
  void delete_defaultCancels202_purgeErases202_unknown404() throws Exception {
    String slug = slug("del");
    JsonNode created = create(slug);
    HttpResponse<String> cancelled = fx.send(fx.admin("/tenants/" + slug, token).DELETE());
    assertThat(cancelled.statusCode()).isEqualTo(202);
    assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
    assertThat(json(cancelled).get("purgeAfter").asText()).isNotBlank();

    HttpResponse<String> purged = fx.send(fx.admin("/tenants/" + slug + "?purge=true", token).DELETE());
    assertThat(purged.statusCode()).isEqualTo(202);
    assertThat(json(purged).get("status").asText()).isEqualTo("DELETED");
    assertThat(fx.tenants.require(created.get("id").asText()).status()).isEqualTo(TenantStatus.DELETED);

    assertProblem(fx.send(fx.admin("/tenants/" + UUID.randomUUID(), token).DELETE()), 404, "not-found");
    assertProblem(fx.send(fx.admin("/tenants/" + slug + "?purge=maybe", token).DELETE()), 400,
        "validation-failed");
  }

  // ---------------------------------------------------------------- bulk

  @Test
  void bulk_suspend_oneUnknownItemFailsAloneAndTheOthersApply() throws Exception {
    String a = slug("ba");
    String b = slug("bb");
    create(a);
    create(b);
    HttpResponse<String> response = post("/tenants/bulk", "{\"operation\":\"suspend\",\"items\":[\"" + a
        + "\",{\"id\":\"no-such-tenant\"},{\"id\":\"" + b + "\"},{\"id\":7}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("succeeded").asInt()).isEqualTo(2);
    assertThat(body.get("failed").asInt()).isEqualTo(2);
    JsonNode results = body.get("results");
    assertThat(results.get(0).get("succeeded").asBoolean()).isTrue();
    assertThat(results.get(0).get("tenant").get("status").asText()).isEqualTo("SUSPENDED");
    assertThat(results.get(1).get("error").asText()).isEqualTo("not-found");
    assertThat(results.get(2).get("index").asInt()).isEqualTo(2);
    assertThat(results.get(2).get("succeeded").asBoolean()).isTrue();
    assertThat(results.get(3).get("error").asText()).isEqualTo("validation-failed");
    assertThat(results.get(3).get("errors").get(0).get("field").asText()).isEqualTo("items[3].id");
    assertThat(fx.tenants.require(b).status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void bulk_create_badItemGetsItsOwnErrorAndGoodOnesTheirKeys() throws Exception {
    String good = slug("bc");
    HttpResponse<String> response = post("/tenants/bulk", "{\"operation\":\"create\",\"items\":["
        + "{\"slug\":\"" + good + "\",\"displayName\":\"Good\"},"
        + "{\"slug\":\"NOT OK\",\"displayName\":\"Bad\"},"
        + "{\"slug\":\"" + good + "\",\"displayName\":\"Duplicate\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode results = json(response).get("results");
    assertThat(results.get(0).get("succeeded").asBoolean()).isTrue();
    assertThat(results.get(0).get("tenant").get("credentials").get("apiKey").asText()).startsWith("tny_");
    assertThat(results.get(1).get("error").asText()).isEqualTo("validation-failed");
    assertThat(results.get(2).get("error").asText()).isEqualTo("conflict");
  }

  @Test
  void bulk_updateAndDelete_applyPerItem() throws Exception {
    String a = slug("bu");
    create(a);
    JsonNode update = json(post("/tenants/bulk", "{\"operation\":\"update\",\"items\":[{\"id\":\"" + a
        + "\",\"displayName\":\"Bulk renamed\",\"version\":1},{\"id\":\"" + a + "\",\"displayName\":\"Stale\","
        + "\"version\":1}]}"));
    assertThat(update.get("results").get(0).get("succeeded").asBoolean()).isTrue();
    assertThat(update.get("results").get(1).get("error").asText()).isEqualTo("conflict");
    JsonNode delete = json(post("/tenants/bulk", "{\"operation\":\"delete\",\"items\":[{\"id\":\"" + a
        + "\",\"purge\":true}]}"));
    assertThat(delete.get("results").get(0).get("tenant").get("status").asText()).isEqualTo("DELETED");
  }

  @Test
  void bulk_badEnvelope_400_tooManyItems_400() throws Exception {
    HttpResponse<String> unknown = post("/tenants/bulk", "{\"operation\":\"explode\",\"items\":[]}");
    assertProblem(unknown, 400, "validation-failed");
    assertThat(unknown.body()).contains("operation");
    assertProblem(post("/tenants/bulk", "{\"items\":[\"a\"]}"), 400, "validation-failed");
    StringBuilder many = new StringBuilder("{\"operation\":\"suspend\",\"items\":[");
    for (int i = 0; i <= 1000; i++) {
      many.append(i == 0 ? "" : ",").append("\"t-").append(i).append('"');
    }
    HttpResponse<String> tooMany = post("/tenants/bulk", many.append("]}").toString());
    assertProblem(tooMany, 400, "validation-failed");
    assertThat(json(tooMany).get("errors").get(0).get("field").asText()).isEqualTo("items");
  }

  // ---------------------------------------------------------------- who may call

  @Test
  void noToken_401InvalidToken_tenantToken_403Forbidden() throws Exception {
    HttpResponse<String> anonymous = fx.send(HttpRequest.newBuilder(fx.base.resolve("/api/v1/admin/tenants"))
        .GET());
    assertProblem(anonymous, 401, "invalid-token");
    HttpResponse<String> forged = fx.send(fx.admin("/tenants", token + "x").GET());
    assertProblem(forged, 401, "invalid-token");

    JsonNode created = create(slug("tok"));
    String tenantToken = fx.token(created.get("credentials").get("apiKey").asText());
    HttpResponse<String> tenantAdmin = fx.send(fx.admin("/tenants", tenantToken).GET());
    assertProblem(tenantAdmin, 403, "forbidden");
    assertThat(tenantAdmin.body()).doesNotContain("items");
    HttpResponse<String> tenantCreate = fx.send(fx.admin("/tenants", tenantToken)
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"slug\":\"" + slug("evil") + "\",\"displayName\":\"x\"}")));
    assertProblem(tenantCreate, 403, "forbidden");
    assertThat(fx.events()).anyMatch(e -> e.action().equals("admin.access_denied")
        && e.outcome() == AuditOutcome.DENIED && e.actor().equals("tenant-admin"));
  }

  @Test
  void everyCall_auditedWithActorAndReason() throws Exception {
    String slug = slug("aud");
    HttpResponse<String> created = fx.send(fx.admin("/tenants", token).header("Content-Type", "application/json")
        .header("X-Access-Reason", "ticket OPS-42")
        .POST(BodyPublishers.ofString("{\"slug\":\"" + slug + "\",\"displayName\":\"Audited\"}")));
    String id = json(created).get("id").asText();
    fx.send(fx.admin("/tenants/" + slug, token).GET());

    List<AuditEvent> events = fx.events();
    AuditEvent create = events.stream().filter(e -> e.action().equals("admin.tenant_create")
        && TenantId.of(id).equals(e.tenant())).findFirst().orElseThrow();
    assertThat(create.category()).isEqualTo(AuditCategory.PLATFORM_ACCESS);
    assertThat(create.actor()).isEqualTo("ops");
    assertThat(create.details()).containsEntry("reason", "ticket OPS-42").containsEntry("status", "201");
    AuditEvent read = events.stream().filter(e -> e.action().equals("admin.tenant_read")
        && TenantId.of(id).equals(e.tenant())).findFirst().orElseThrow();
    assertThat(read.details().get("reason")).contains("GET");
    assertThat(events).noneMatch(e -> e.details().values().stream().anyMatch(v -> v.contains("tny_")));
  }

  @Test
  void unknownPath_404_wrongMethod_405WithAllow() throws Exception {
    assertProblem(get("/nothing-here"), 404, "not-found");
    HttpResponse<String> patch = fx.send(fx.admin("/tenants", token).method("PATCH", BodyPublishers.noBody()));
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(json(patch).get("type").asText()).startsWith("https://tenancy.dev/problems/");
  }

  static URI uri(String path) {
    return fx.base.resolve(path);
  }
}
