package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's Test Cases 1–4 and 7–9 against the running example app over real HTTP: the app is started in-process
 * on a free port exactly as {@code main} starts it, and only its HTTP API is used to act (the app's internals are
 * read only to prove that lead contact data is stored encrypted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppScenarios {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "end-to-end-test-secret-0123456789abcdef";
  static final String ISSUER = "tenancy-example-it";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  AdminApp app;
  URI base;
  String adminToken;
  String startOutput;

  /** @return the configuration under test (port 0, the database of the subclass) */
  abstract AppConfig config();

  /** Releases what the subclass set up for the app, after it stopped. */
  void cleanUp() throws Exception {
  }

  @BeforeAll
  void startApp() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    app = AdminApp.start(config(), new PrintStream(out, true, StandardCharsets.UTF_8));
    startOutput = out.toString(StandardCharsets.UTF_8);
    base = URI.create("http://127.0.0.1:" + app.port());
    adminToken = token(app.adminApiKey());
  }

  @AfterAll
  void stopApp() throws Exception {
    if (app != null) {
      app.close();
    }
    cleanUp();
  }

  // ------------------------------------------------------------------ Test Case 1: provisioning

  @Test
  void tc1_provisioning_createsAnIsolatedTenantWithCredentialsItCanUseAtOnce() throws Exception {
    assertThat(startOutput).contains("Tenancy example listening on http://127.0.0.1:" + app.port());
    String slug = slug("acme");
    HttpResponse<String> created = admin("POST", "/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\"Acme "
        + "Homes\",\"tier\":\"pro\",\"status\":\"ACTIVE\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).isPresent();
    JsonNode tenant = json(created);
    String id = tenant.get("id").asText();
    assertThat(TenantId.isValid(id)).isTrue();
    String apiKey = tenant.get("credentials").get("apiKey").asText();

    // The tenant's admin works inside its environment immediately, with the tier's defaults applied.
    String token = token(apiKey);
    JsonNode me = json(send("GET", "/api/v1/me", token, null));
    assertThat(me.get("tenant").get("id").asText()).isEqualTo(id);
    assertThat(me.get("tenant").get("tier").asText()).isEqualTo("pro");
    assertThat(me.get("roles").toString()).contains("tenant_admin");
    assertThat(json(send("GET", "/api/v1/leads", token, null)).get("total").asInt()).isZero();
    JsonNode usage = json(admin("GET", "/tenants/" + id + "/usage", null));
    assertThat(usage.get("apiCalls").get("limit").asLong()).isPositive();

    assertProblem(admin("POST", "/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\"Again\"}"), 409,
        "conflict");
    assertProblem(admin("POST", "/tenants", "{\"slug\":\"x'; DROP TABLE leads;--\",\"displayName\":\"Bad\"}"), 400,
        "validation-failed");
  }

  // ------------------------------------------------------------------ Test Case 2: isolation

  @Test
  void tc2_isolation_anotherAgencysLeadIsNotThere_andNamingAnotherTenantIs403() throws Exception {
    Agency a = agency("alpha", "");
    Agency b = agency("beta", "");
    String agentA = a.user("agent-a", "agent");
    String agentB = b.user("agent-b", "agent");
    JsonNode lead = json(send("POST", "/api/v1/leads", agentA,
        "{\"name\":\"Ann Buyer\",\"email\":\"ann@example.com\",\"phone\":\"+44 20 7946 0000\"}"));
    String leadId = lead.get("id").asText();
    assertThat(lead.get("email").asText()).isEqualTo("ann@example.com");

    // Another agency's id is indistinguishable from an unknown one, whatever the method.
    for (String method : List.of("GET", "PUT", "DELETE")) {
      HttpResponse<String> foreign = send(method, "/api/v1/leads/" + leadId, agentB,
          method.equals("PUT") ? "{\"name\":\"Stolen\"}" : null);
      assertProblem(foreign, 404, "not-found");
      assertThat(foreign.body()).doesNotContain("Ann", "ann@example.com", a.id);
    }
    assertThat(send("GET", "/api/v1/leads", agentB, null).body()).doesNotContain(leadId, "Ann");

    // Naming tenant A with B's token: refused before any data is touched, and audited.
    HttpResponse<String> cross = send("GET", "/api/v1/leads", agentB, null, "X-Tenant-ID", a.id);
    assertProblem(cross, 403, "cross-tenant-access");
    assertThat(cross.body()).doesNotContain("Ann", leadId);
    await().atMost(Duration.ofSeconds(10)).until(() -> admin("GET", "/tenants/" + b.id + "/audit?format=jsonl",
        null).body().contains("cross_tenant_attempt"));

    // A's lead is intact; its contact data is ciphertext in the database.
    assertThat(json(send("GET", "/api/v1/leads/" + leadId, agentA, null)).get("name").asText())
        .isEqualTo("Ann Buyer");
    String stored = TenantContext.call(app.tenants().info(app.tenants().require(a.id)),
        () -> app.leads().storedEmail(UUID.fromString(leadId)).orElseThrow());
    assertThat(stored).doesNotContain("ann@example.com", "ann");

    // The platform admin gets in only by naming the tenant and giving a reason.
    HttpResponse<String> support = send("GET", "/api/v1/leads/" + leadId, adminToken, null, "X-Tenant-ID", a.id,
        "X-Access-Reason", "ticket 4711");
    assertThat(support.statusCode()).as(support.body()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/leads/" + leadId, adminToken, null, "X-Tenant-ID", a.id).statusCode())
        .isNotEqualTo(200);

    // Roles: a viewer reads but does not write; only a tenant admin adds users.
    String viewerA = a.user("viewer-a", "viewer");
    assertThat(send("GET", "/api/v1/leads/" + leadId, viewerA, null).statusCode()).isEqualTo(200);
    assertProblem(send("POST", "/api/v1/leads", viewerA, "{\"name\":\"N\",\"email\":\"n@example.com\"}"), 403,
        "forbidden");
    assertProblem(send("POST", "/api/v1/users", agentA, "{\"subject\":\"eve\",\"roles\":[\"tenant_admin\"]}"), 403,
        "forbidden");
  }

  // ------------------------------------------------------------------ Test Case 3: quota

  @Test
  void tc3_quota_1000CallsSucceed_theRestAre429_usageIsExactly1000UnderConcurrency() throws Exception {
    Agency q = agency("quota", ",\"limits\":{\"apiCallsPerMonth\":1000,\"requestsPerSecond\":1000000,"
        + "\"maxConcurrentRequests\":1000}");
    String token = token(q.adminKey);
    int calls = 1040;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        results.add(pool.submit(() -> send("GET", "/api/v1/me", token, null).statusCode()));
      }
      int ok = 0;
      int refused = 0;
      for (Future<Integer> result : results) {
        int status = result.get();
        if (status == 200) {
          ok++;
        } else if (status == 429) {
          refused++;
        }
      }
      assertThat(ok).isEqualTo(1000);
      assertThat(refused).isEqualTo(calls - 1000);
    } finally {
      pool.shutdownNow();
    }
    HttpResponse<String> over = send("GET", "/api/v1/leads", token, null);
    assertProblem(over, 429, "quota-exceeded");
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        json(admin("GET", "/tenants/" + q.id + "/usage", null)).get("apiCalls").get("used").asLong())
        .isEqualTo(1000));
    await().atMost(Duration.ofSeconds(10)).until(() -> admin("GET", "/alerts", null).body().contains(q.id));
  }

  // ------------------------------------------------------------------ Test Case 4: configuration

  @Test
  void tc4_configurationChange_tierAndFlagsApplyImmediately() throws Exception {
    Agency c = agency("config", "");
    String token = token(c.adminKey);
    JsonNode before = json(send("GET", "/api/v1/me", token, null));
    assertThat(before.get("features").path("leadScoring").asBoolean(false)).isFalse();
    long limitBefore = json(admin("GET", "/tenants/" + c.id + "/usage", null)).get("apiCalls").get("limit").asLong();

    HttpResponse<String> updated = admin("PUT", "/tenants/" + c.id,
        "{\"tier\":\"enterprise\",\"featureFlags\":{\"leadScoring\":true}}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

    JsonNode after = json(send("GET", "/api/v1/me", token, null));
    assertThat(after.get("tenant").get("tier").asText()).isEqualTo("enterprise");
    assertThat(after.get("features").get("leadScoring").asBoolean()).isTrue();
    long limitAfter = json(admin("GET", "/tenants/" + c.id + "/usage", null)).get("apiCalls").get("limit").asLong();
    assertThat(limitAfter).isGreaterThan(limitBefore);
    await().atMost(Duration.ofSeconds(10)).until(() -> admin("GET", "/tenants/" + c.id + "/audit?format=jsonl",
        null).body().contains("\"action\":\"tenant.updated\""));
  }

  // ------------------------------------------------------------------ Test Case 7: token tampering

  @Test
  void tc7_tamperedTokens_are401_andNeverReachAnotherTenant() throws Exception {
    Agency a = agency("tok-a", "");
    Agency b = agency("tok-b", "");
    String token = a.user("agent", "agent");
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains(a.id);

    String forged = parts[0] + "." + b64(payload.replace(a.id, b.id)) + "." + parts[2];
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload.replace(a.id, b.id)) + ".";
    String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A")
        + parts[2].substring(1);
    TenantTokenService otherIssuer = TenantTokenService.builder().issuer("someone-else").audience("tenancy")
        .key(TokenKey.hmac("hs256", TokenAlgorithm.HS256, SECRET.getBytes(StandardCharsets.UTF_8)))
        .signingKey("hs256").tenants(id -> java.util.Optional.empty()).build();
    String wrongIssuer = otherIssuer.issue(new TenantPrincipal(TenantId.of(b.id), "agent", Set.of("tenant_admin"),
        PrincipalKind.USER, null, null, null), Duration.ofMinutes(5));
    for (String bad : List.of(forged, none, badSignature, wrongIssuer, "garbage")) {
      HttpResponse<String> refused = send("GET", "/api/v1/leads", bad, null);
      assertProblem(refused, 401, "invalid-token");
    }
    assertProblem(send("GET", "/api/v1/leads", null, null), 401, "invalid-token");
    assertThat(send("GET", "/api/v1/leads", token, null).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ Test Case 8: audit trail

  @Test
  void tc8_auditTrail_verifiesAndExportsWithActorsAndTenant() throws Exception {
    Agency a = agency("audit", "");
    String agent = a.user("agent-audit", "agent");
    send("POST", "/api/v1/leads", agent, "{\"name\":\"Audited\",\"email\":\"audited@example.com\"}");
    admin("PUT", "/tenants/" + a.id, "{\"featureFlags\":{\"sso\":true}}");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode verify = json(admin("GET", "/audit/verify?tenant=" + a.id, null));
      assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
      assertThat(verify.get("events").asLong()).isGreaterThanOrEqualTo(2);
      assertThat(verify.get("head").asText()).isNotBlank();
    });
    HttpResponse<String> jsonl = admin("GET", "/tenants/" + a.id + "/audit?format=jsonl", null);
    assertThat(jsonl.statusCode()).isEqualTo(200);
    List<String> lines = jsonl.body().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.toString()).contains(a.id);
    }
    assertThat(jsonl.body()).contains("\"action\":\"tenant.updated\"", "\"action\":\"lead.created\"",
        "\"actor\":\"agent-audit\"");
    HttpResponse<String> csv = admin("GET", "/tenants/" + a.id + "/audit?format=csv", null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().lines().count()).isGreaterThan(1);
  }

  // ------------------------------------------------------------------ Test Case 9: single-tenant restore

  @Test
  void tc9_backupChangeSuspendRestore_onlyThatTenantsRowsChange() throws Exception {
    Agency a = agency("restore-a", "");
    Agency b = agency("restore-b", "");
    String agentA = a.user("agent", "agent");
    String agentB = b.user("agent", "agent");
    String kept = json(send("POST", "/api/v1/leads", agentA, "{\"name\":\"Kept\",\"email\":\"kept@example.com\","
        + "\"phone\":\"123\"}")).get("id").asText();
    send("POST", "/api/v1/leads", agentB, "{\"name\":\"B before\",\"email\":\"b1@example.com\"}");

    HttpResponse<String> backup = admin("POST", "/tenants/" + a.id + "/backups", "");
    assertThat(backup.statusCode()).as(backup.body()).isEqualTo(201);
    String backupId = json(backup).get("backupId").asText();
    assertThat(json(backup).get("rows").asLong()).isGreaterThanOrEqualTo(1);

    send("PUT", "/api/v1/leads/" + kept, agentA, "{\"name\":\"Changed\"}");
    send("POST", "/api/v1/leads", agentA, "{\"name\":\"Added after\",\"email\":\"late@example.com\"}");
    send("POST", "/api/v1/leads", agentB, "{\"name\":\"B after\",\"email\":\"b2@example.com\"}");

    assertProblem(admin("POST", "/tenants/" + a.id + "/restore", "{\"backupId\":\"" + backupId + "\"}"), 409,
        "conflict");
    assertThat(admin("PUT", "/tenants/" + a.id, "{\"status\":\"SUSPENDED\"}").statusCode()).isEqualTo(200);
    assertProblem(send("GET", "/api/v1/leads", agentA, null), 403, "tenant-suspended");
    HttpResponse<String> restored = admin("POST", "/tenants/" + a.id + "/restore",
        "{\"backupId\":\"" + backupId + "\"}");
    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    assertThat(admin("PUT", "/tenants/" + a.id, "{\"status\":\"ACTIVE\"}").statusCode()).isEqualTo(200);

    JsonNode leadsA = json(send("GET", "/api/v1/leads", agentA, null));
    assertThat(leadsA.get("total").asInt()).isEqualTo(1);
    assertThat(leadsA.get("items").get(0).get("name").asText()).isEqualTo("Kept");
    assertThat(leadsA.get("items").get(0).get("email").asText()).isEqualTo("kept@example.com");
    String leadsB = send("GET", "/api/v1/leads", agentB, null).body();
    assertThat(leadsB).contains("B before", "B after");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void badInput_isAProblemWithoutInternals() throws Exception {
    String agent = agency("input", "").user("agent", "agent");
    assertProblem(send("POST", "/api/v1/leads", agent, "{\"name\":"), 400, "validation-failed");
    assertProblem(send("POST", "/api/v1/leads", agent, "[1,2]"), 400, "validation-failed");
    assertProblem(send("POST", "/api/v1/leads", agent, "{\"name\":\"No mail\",\"email\":\"not-an-address\"}"),
        400, "validation-failed");
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/leads"))
        .header("Authorization", "Bearer " + agent).header("Content-Type", "text/plain")
        .POST(BodyPublishers.ofString("name=x")).build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(plain, 415, "unsupported-media-type");
    // A body declared too large is refused from its Content-Length alone. A raw socket sends the headers only, so the
    // answer cannot race a client still writing a body the server will never read.
    String huge;
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/leads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + agent
          + "\r\nContent-Type: application/json\r\nContent-Length: " + (1024 * 1024 + 10)
          + "\r\nConnection: close\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      huge = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(huge).startsWith("HTTP/1.1 413").contains("https://tenancy.dev/problems/payload-too-large");
    for (String id : List.of("42", "' OR '1'='1", UUID.randomUUID().toString())) {
      assertProblem(send("GET", "/api/v1/leads/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), agent,
          null), 404, "not-found");
    }
    assertThat(json(send("GET", "/api/v1/leads", agent, null)).get("total").asInt()).isZero();
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purge_erasesOnlyThatAgencysRows_andItsCredentialsStopWorking() throws Exception {
    Agency gone = agency("purged", "");
    Agency stays = agency("stays", "");
    String agentGone = gone.user("agent", "agent");
    String agentStays = stays.user("agent", "agent");
    send("POST", "/api/v1/leads", agentGone, "{\"name\":\"Erase me\",\"email\":\"erase@example.com\"}");
    send("POST", "/api/v1/leads", agentStays, "{\"name\":\"Keep me\",\"email\":\"keep@example.com\"}");
    assertThat(leadRows(gone)).isEqualTo(1);

    assertThat(admin("DELETE", "/tenants/" + gone.id + "?purge=true", null).statusCode()).isEqualTo(202);
    assertThat(leadRows(gone)).isZero();
    assertThat(leadRows(stays)).isEqualTo(1);
    assertThat(send("GET", "/api/v1/leads", agentGone, null).statusCode()).isBetween(401, 404);
    assertThat(send("POST", "/api/v1/auth/token", null, "{\"apiKey\":\"" + gone.adminKey + "\"}").statusCode())
        .isEqualTo(401);
    assertThat(send("GET", "/api/v1/leads", agentStays, null).body()).contains("Keep me");
  }

  /** @return how many lead rows of the agency the database holds, looked at under the API */
  abstract long leadRows(Agency agency) throws Exception;

  // ------------------------------------------------------------------ helpers

  /** An agency created over the admin API, with its tenant_admin key. */
  final class Agency {
    final String id;
    final String slug;
    final String adminKey;

    Agency(String id, String slug, String adminKey) {
      this.id = id;
      this.slug = slug;
      this.adminKey = adminKey;
    }

    /** @return a token for a new user whose API key was created by the agency's admin over {@code POST /api/v1/users} */
    String user(String subject, String role) throws Exception {
      HttpResponse<String> created = send("POST", "/api/v1/users", token(adminKey),
          "{\"subject\":\"" + subject + "\",\"roles\":[\"" + role + "\"]}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      return token(json(created).get("apiKey").asText());
    }
  }

  Agency agency(String prefix, String extra) throws Exception {
    String slug = slug(prefix);
    HttpResponse<String> created = admin("POST", "/tenants", "{\"slug\":\"" + slug + "\",\"displayName\":\""
        + prefix + "\",\"status\":\"ACTIVE\"" + extra + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = json(created);
    return new Agency(body.get("id").asText(), slug, body.get("credentials").get("apiKey").asText());
  }

  static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String token(String apiKey) throws Exception {
    HttpResponse<String> response = send("POST", "/api/v1/auth/token", null, "{\"apiKey\":\"" + apiKey + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("accessToken").asText();
  }

  HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return send(method, "/api/v1/admin" + path, adminToken, body);
  }

  HttpResponse<String> send(String method, String path, String token, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(json(response).get("type").asText()).isEqualTo("https://tenancy.dev/problems/" + code);
    assertThat(response.body()).doesNotContain("Exception", "SELECT ", "at dev.tenancy");
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
