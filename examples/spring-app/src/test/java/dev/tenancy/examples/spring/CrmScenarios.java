package dev.tenancy.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.task.TenantRunReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * The CRM's tenant boundary over real HTTP, against the application as Spring Boot starts it on a random port with
 * the starter doing all the tenancy wiring. Tenants are set up through the {@link TenantService} bean and callers get
 * tokens from the {@link TenantTokenService} bean, as the admin API would hand them out; every check then goes through
 * HTTP only, except where a test looks under the API to prove where rows landed ({@link #leadRows},
 * {@link #activityRows}). Subclasses choose the database.
 */
@SpringBootTest(classes = CrmApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "tenancy.tokens.secret=" + CrmScenarios.SECRET,
    "tenancy.tokens.issuer=" + CrmScenarios.ISSUER,
    "tenancy.admin.api-key=" + CrmScenarios.ADMIN_KEY,
    // A tier small enough to exhaust: only the monthly call budget can refuse.
    "tenancy.tiers.tiny.limits.apiCallsPerMonth=" + CrmScenarios.TINY_CALLS,
    "tenancy.tiers.tiny.limits.requestsPerSecond=1000000",
    "tenancy.tiers.tiny.limits.maxConcurrentRequests=1000",
    // The scheduler must not race the tests; they run the job themselves. Every lead is stale at once.
    "crm.stale-leads.initial-delay=PT1H",
    "crm.stale-leads.after=PT0S"})
abstract class CrmScenarios {

  static final String SECRET = "spring-app-it-secret-0123456789abcdef-xyz";
  static final String ISSUER = "tenancy-spring-crm-it";
  /** A platform key generated for these tests (32 random bytes), so they can log in to the admin API. */
  static final String ADMIN_KEY = "tny_g2gqbm88_1BkzjMEQlHDS95r74y_q4CQjweW2scVLOW7TrIeZk8o";
  static final int TINY_CALLS = 20;
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort
  int port;
  @Autowired
  TenantService tenants;
  @Autowired
  TenantTokenService tokens;
  @Autowired
  QuotaManager quotas;
  @Autowired
  AuditLog audit;
  @Autowired
  AuditSink auditSink;
  @Autowired
  StaleLeadsJob job;
  @Autowired
  ScheduledTaskHolder scheduled;

  /**
   * @param agency an agency
   * @param leadId a lead id
   * @return how many rows of that id the database holds for the agency, looked at under the API
   */
  abstract long leadRows(Agency agency, UUID leadId) throws Exception;

  /**
   * @param agency an agency
   * @param leadId a lead id
   * @param kind an activity kind
   * @return how many activity rows of that lead and kind the database holds for the agency, looked at under the API
   */
  abstract long activityRows(Agency agency, UUID leadId, String kind) throws Exception;

  // ------------------------------------------------------------------ identity

  @Test
  void me_showsTheAgencyTheTokenNames() throws Exception {
    Agency a = agency("me", "pro");
    JsonNode me = json(send("GET", "/api/v1/me", a.token("ann", "agent"), null));
    assertThat(me.get("tenant").get("id").asText()).isEqualTo(a.id.toString());
    assertThat(me.get("tenant").get("tier").asText()).isEqualTo("pro");
    assertThat(me.get("subject").asText()).isEqualTo("ann");
    assertThat(me.get("roles").toString()).contains("agent");
  }

  @Test
  void missingToken_is401Problem_andNothingRuns() throws Exception {
    assertProblem(send("GET", "/api/v1/leads", null, null), 401, "invalid-token");
    assertProblem(send("POST", "/api/v1/leads", null, "{\"name\":\"X\",\"email\":\"x@example.com\"}"), 401,
        "invalid-token");
    assertProblem(send("GET", "/api/v1/me", "", null), 401, "invalid-token");
  }

  // ------------------------------------------------------------------ isolation

  @Test
  void isolation_anotherAgencysLeadIsNotThere_forReadListActivityOrDelete() throws Exception {
    Agency a = agency("alpha", "pro");
    Agency b = agency("beta", "pro");
    String agentA = a.token("agent-a", "agent");
    String agentB = b.token("agent-b", "agent");
    HttpResponse<String> created = send("POST", "/api/v1/leads", agentA,
        "{\"name\":\"Ann Buyer\",\"email\":\"ann@example.com\",\"phone\":\"+44 20 7946 0000\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode lead = json(created);
    UUID leadId = UUID.fromString(lead.get("id").asText());
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/leads/" + leadId);
    assertThat(lead.get("email").asText()).isEqualTo("ann@example.com");

    // B's answer for A's id is the answer for an id that never existed, whatever the method.
    for (String path : List.of("/api/v1/leads/" + leadId, "/api/v1/leads/" + leadId + "/activity")) {
      HttpResponse<String> foreign = send("GET", path, agentB, null);
      assertProblem(foreign, 404, "not-found");
      assertThat(foreign.body()).doesNotContain("Ann", "ann@example.com", a.id.toString());
    }
    assertProblem(send("DELETE", "/api/v1/leads/" + leadId, agentB, null), 404, "not-found");
    assertProblem(send("GET", "/api/v1/leads/" + UUID.randomUUID(), agentB, null), 404, "not-found");
    JsonNode listB = json(send("GET", "/api/v1/leads", agentB, null));
    assertThat(listB.get("total").asInt()).isZero();
    assertThat(listB.toString()).doesNotContain(leadId.toString(), "Ann");

    // A's lead survived B's delete, and the database holds it for A only.
    assertThat(json(send("GET", "/api/v1/leads/" + leadId, agentA, null)).get("name").asText())
        .isEqualTo("Ann Buyer");
    assertThat(json(send("GET", "/api/v1/leads", agentA, null)).get("total").asInt()).isEqualTo(1);
    assertThat(leadRows(a, leadId)).isEqualTo(1);
    assertThat(leadRows(b, leadId)).isZero();

    assertThat(send("DELETE", "/api/v1/leads/" + leadId, agentA, null).statusCode()).isEqualTo(204);
    assertProblem(send("GET", "/api/v1/leads/" + leadId, agentA, null), 404, "not-found");
    assertThat(leadRows(a, leadId)).isZero();
  }

  @Test
  void roles_aViewerReadsButDoesNotWrite() throws Exception {
    Agency a = agency("roles", "pro");
    assertThat(send("GET", "/api/v1/leads", a.token("vera", "viewer"), null).statusCode()).isEqualTo(200);
    assertProblem(send("POST", "/api/v1/leads", a.token("vera", "viewer"),
        "{\"name\":\"N\",\"email\":\"n@example.com\"}"), 403, "forbidden");
    assertProblem(send("GET", "/api/v1/leads", a.token("nobody", "billing"), null), 403, "forbidden");
  }

  @Test
  void badInput_isAProblemWithoutInternals() throws Exception {
    String agent = agency("input", "pro").token("agent", "agent");
    assertProblem(send("POST", "/api/v1/leads", agent, "{\"name\":"), 400, "validation-failed");
    assertProblem(send("POST", "/api/v1/leads", agent, "[1,2]"), 400, "validation-failed");
    assertProblem(send("POST", "/api/v1/leads", agent, "{\"name\":\"No mail\",\"email\":\"not-an-address\"}"), 400,
        "validation-failed");
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri("/api/v1/leads"))
        .header("Authorization", "Bearer " + agent).header("Content-Type", "text/plain")
        .POST(BodyPublishers.ofString("name=x")).build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(plain, 415, "unsupported-media-type");
    for (String id : List.of("42", "' OR '1'='1")) {
      assertProblem(send("GET", "/api/v1/leads/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8), agent,
          null), 404, "not-found");
    }
    assertThat(json(send("GET", "/api/v1/leads", agent, null)).get("total").asInt()).isZero();
  }

  // ------------------------------------------------------------------ quota

  @Test
  void quota_theTiersMonthlyCallsSucceed_theRestAre429_andTheCounterStaysAtTheLimit() throws Exception {
    Agency q = agency("quota", "tiny");
    String token = q.token("busy", "agent");
    int calls = TINY_CALLS + 10;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        results.add(pool.submit(() -> send("GET", "/api/v1/me", token, null).statusCode()));
      }
      int ok = 0;
      int refused = 0;
      for (Future<Integer> result : results) {
        int status = result.get();
        ok += status == 200 ? 1 : 0;
        refused += status == 429 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(TINY_CALLS);
      assertThat(refused).isEqualTo(calls - TINY_CALLS);
    } finally {
      pool.shutdownNow();
    }
    HttpResponse<String> over = send("POST", "/api/v1/leads", token, "{\"name\":\"Late\",\"email\":\"l@example.com\"}");
    assertProblem(over, 429, "quota-exceeded");
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
    // Refused calls are not counted: the counter is exactly the limit, not the number of attempts.
    assertThat(quotas.usage(q.info()).apiCalls().used()).isEqualTo(TINY_CALLS);
    // Another agency's budget is untouched.
    Agency other = agency("quota-other", "tiny");
    assertThat(send("GET", "/api/v1/me", other.token("calm", "agent"), null).statusCode()).isEqualTo(200);
    assertThat(quotas.usage(other.info()).apiCalls().used()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ token tampering

  @Test
  void tamperedTokens_are401_andNeverReachAnotherAgency() throws Exception {
    Agency a = agency("tok-a", "pro");
    Agency b = agency("tok-b", "pro");
    String token = a.token("agent", "agent");
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains(a.id.toString());

    String flippedSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A")
        + parts[2].substring(1);
    String algNone = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload.replace(a.id.toString(),
        b.id.toString())) + ".";
    String otherTenant = parts[0] + "." + b64(payload.replace(a.id.toString(), b.id.toString())) + "." + parts[2];
    ObjectNode claims = (ObjectNode) JSON.readTree(payload);
    long past = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
    claims.put("iat", past).put("exp", past + 600);
    if (claims.has("nbf")) {
      claims.put("nbf", past);
    }
    // Correctly signed with the real secret: only the expiry is wrong.
    String expired = signed(parts[0], claims.toString(), SECRET);
    String wrongSecret = signed(parts[0], payload, SECRET + "-but-not-quite");
    for (String bad : List.of(flippedSignature, algNone, otherTenant, expired, wrongSecret, "garbage")) {
      HttpResponse<String> refused = send("GET", "/api/v1/leads", bad, null);
      assertProblem(refused, 401, "invalid-token");
      assertThat(refused.body()).doesNotContain(b.id.toString());
    }
    // The control: the untouched token works, so the refusals above are about the tampering.
    assertThat(send("GET", "/api/v1/leads", token, null).statusCode()).isEqualTo(200);
    assertThat(signed(parts[0], payload, SECRET)).isEqualTo(token);
  }

  // ------------------------------------------------------------------ audit

  @Test
  void audit_leadCreationIsInTheAgencysTrail_withActorAndResource() throws Exception {
    Agency a = agency("audit-a", "pro");
    Agency b = agency("audit-b", "pro");
    UUID leadId = createLead(a.token("agent-audit", "agent"), "Audited");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      audit.flush();
      assertThat(events(a)).anySatisfy(event -> {
        assertThat(event.action()).isEqualTo("lead.created");
        assertThat(event.actor()).isEqualTo("agent-audit");
        assertThat(event.resource()).isEqualTo("lead/" + leadId);
        assertThat(event.tenant()).isEqualTo(a.id);
      });
    });
    assertThat(events(b)).noneSatisfy(event -> assertThat(event.resource()).isEqualTo("lead/" + leadId));
  }

  // ------------------------------------------------------------------ admin API (tenancy.admin.enabled=true)

  @Test
  void adminApi_provisionsAnAgency_whoseAdminWorksAtOnce_andShowsItsAuditTrail() throws Exception {
    String admin = exchange(ADMIN_KEY);
    String slug = "admin-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = send("POST", "/api/v1/admin/tenants", admin,
        "{\"slug\":\"" + slug + "\",\"displayName\":\"Admin Homes\",\"tier\":\"pro\",\"status\":\"ACTIVE\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).get("id").asText();
    String tenantAdmin = exchange(json(created).get("credentials").get("apiKey").asText());

    assertThat(json(send("GET", "/api/v1/me", tenantAdmin, null)).get("tenant").get("id").asText()).isEqualTo(id);
    UUID leadId = createLead(tenantAdmin, "Provisioned");
    // The platform token is not a tenant's: without naming a tenant (and a reason) it reaches no lead.
    assertThat(send("GET", "/api/v1/leads/" + leadId, admin, null).statusCode()).isNotEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        send("GET", "/api/v1/admin/tenants/" + id + "/audit?format=jsonl", admin, null).body())
        .contains("\"action\":\"lead.created\"", "lead/" + leadId));
    assertProblem(send("GET", "/api/v1/admin/tenants", tenantAdmin, null), 403, "forbidden");

    // The agency's admin adds an agent over /api/v1/users; the agent's key works for that agency only.
    HttpResponse<String> user = send("POST", "/api/v1/users", tenantAdmin,
        "{\"subject\":\"new-agent\",\"roles\":[\"agent\"]}");
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    assertThat(user.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    String agent = exchange(json(user).get("apiKey").asText());
    JsonNode me = json(send("GET", "/api/v1/me", agent, null));
    assertThat(me.get("tenant").get("id").asText()).isEqualTo(id);
    assertThat(me.get("subject").asText()).isEqualTo("new-agent");
    assertThat(json(send("GET", "/api/v1/leads/" + leadId, agent, null)).get("name").asText())
        .isEqualTo("Provisioned");
    assertProblem(send("POST", "/api/v1/users", agent, "{\"subject\":\"eve\",\"roles\":[\"tenant_admin\"]}"),
        403, "forbidden");
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purge_erasesOnlyThatAgencysLeads_andItsTokensStopWorking() throws Exception {
    Agency gone = agency("purged", "pro");
    Agency stays = agency("stays", "pro");
    String agentGone = gone.token("agent", "agent");
    String agentStays = stays.token("agent", "agent");
    UUID erased = createLead(agentGone, "Erase me");
    UUID kept = createLead(agentStays, "Keep me");
    assertThat(leadRows(gone, erased)).isEqualTo(1);

    tenants.delete(gone.id, true);

    assertThat(leadRows(gone, erased)).isZero();
    assertThat(leadRows(stays, kept)).isEqualTo(1);
    assertThat(send("GET", "/api/v1/leads", agentGone, null).statusCode()).isBetween(401, 404);
    assertThat(send("GET", "/api/v1/leads", agentStays, null).body()).contains("Keep me");
  }

  // ------------------------------------------------------------------ background work

  @Test
  void asyncListener_writesTheActivityInTheAgencyOfTheRequest() throws Exception {
    Agency a = agency("async-a", "pro");
    Agency b = agency("async-b", "pro");
    String agentA = a.token("agent-async", "agent");
    UUID leadId = createLead(agentA, "Async");

    // The row is written on Spring's task executor, not the request thread; it shows up in A's activity.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        json(send("GET", "/api/v1/leads/" + leadId + "/activity", agentA, null)).get("items").toString())
        .contains("\"kind\":\"created\"", "\"actor\":\"agent-async\""));
    assertThat(activityRows(a, leadId, "created")).isEqualTo(1);
    assertThat(activityRows(b, leadId, "created")).isZero();
  }

  @Test
  void scheduledJob_marksEachAgencysStaleLeads_inThatAgencysTablesOnly() throws Exception {
    Agency a = agency("job-a", "pro");
    Agency b = agency("job-b", "pro");
    String agentA = a.token("agent", "agent");
    String agentB = b.token("agent", "agent");
    UUID leadA = createLead(agentA, "Stale A");
    UUID leadB = createLead(agentB, "Stale B");

    // What the scheduler calls: once per active agency, each inside its own tenant scope.
    TenantRunReport report = job.markStaleLeads();
    assertThat(report.failed()).isEmpty();
    assertThat(report.succeeded()).contains(a.id, b.id);

    assertThat(json(send("GET", "/api/v1/leads/" + leadA, agentA, null)).get("stale").asBoolean()).isTrue();
    assertThat(json(send("GET", "/api/v1/leads/" + leadB, agentB, null)).get("stale").asBoolean()).isTrue();
    assertThat(activityRows(a, leadA, "marked-stale")).isEqualTo(1);
    assertThat(activityRows(b, leadB, "marked-stale")).isEqualTo(1);
    assertThat(activityRows(a, leadB, "marked-stale")).isZero();
    assertThat(activityRows(b, leadA, "marked-stale")).isZero();
    assertThat(json(send("GET", "/api/v1/leads/" + leadA + "/activity", agentA, null)).get("items").toString())
        .contains("\"actor\":\"job:" + StaleLeadsJob.NAME + "\"");

    // A second run finds nothing new to mark.
    assertThat(job.markStaleLeads().failed()).isEmpty();
    assertThat(activityRows(a, leadA, "marked-stale")).isEqualTo(1);
  }

  @Test
  void scheduledJob_isRegisteredWithSpringsScheduler() {
    assertThat(scheduled.getScheduledTasks()).anySatisfy(task -> assertThat(task.getTask().getRunnable().toString())
        .contains(StaleLeadsJob.class.getName() + ".markStaleLeads"));
  }

  // ------------------------------------------------------------------ helpers

  /** An agency (tenant) created through the TenantService bean. */
  final class Agency {
    final TenantId id;

    Agency(TenantId id) {
      this.id = id;
    }

    TenantInfo info() {
      return tenants.info(tenants.find(id).orElseThrow());
    }

    /** @return a token for a user of this agency with one role, as the token endpoint would issue it */
    String token(String subject, String role) {
      return tokens.issue(new TenantPrincipal(id, subject, Set.of(role), PrincipalKind.USER, null, null, null),
          Duration.ofMinutes(10));
    }
  }

  Agency agency(String prefix, String tier) {
    String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new Agency(tenants.create(NewTenant.of(slug, prefix).withTier(tier)
        .withInitialStatus(TenantStatus.ACTIVE)).id());
  }

  UUID createLead(String token, String name) throws Exception {
    HttpResponse<String> created = send("POST", "/api/v1/leads", token,
        "{\"name\":\"" + name + "\",\"email\":\"" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return UUID.fromString(json(created).get("id").asText());
  }

  /** @return a bearer token for an API key, from the starter's token endpoint */
  String exchange(String apiKey) throws Exception {
    HttpResponse<String> response = send("POST", "/api/v1/auth/token", null, "{\"apiKey\":\"" + apiKey + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("accessToken").asText();
  }

  List<AuditEvent> events(Agency agency) {
    try (Stream<AuditRecord> records = auditSink.read(agency.id.toString(), 0, AuditRecord.MAX_SEQUENCE)) {
      return records.map(AuditRecord::event).toList();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(json(response).path("type").asText()).as(response.body()).isEqualTo("https://tenancy.dev/problems/" + code);
    assertThat(response.body()).doesNotContain("Exception", "SELECT ", "at dev.tenancy");
  }

  private static String signed(String header, String payload, String secret) throws Exception {
    String unsigned = header + "." + b64(payload);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return unsigned + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
