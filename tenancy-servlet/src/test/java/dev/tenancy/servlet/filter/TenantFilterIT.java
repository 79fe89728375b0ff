package dev.tenancy.servlet.filter;

import static dev.tenancy.servlet.filter.FilterServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.alert.Alert;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.lifecycle.NewTenant;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter's contract over real HTTP: authentication, resolution, cross-tenant rules, status, errors. */
class TenantFilterIT {

  private static FilterServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new FilterServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String slug(String base) {
    return base + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode body = json(response);
    assertThat(body.get("type").asText()).isEqualTo("https://tenancy.dev/problems/" + code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("title").asText()).isNotBlank();
    assertThat(body.get("traceId").asText()).isEqualTo(response.headers().firstValue("X-Trace-Id").orElseThrow());
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "SELECT");
  }

  @Test
  void validToken_requestRunsInTenantScopeWithPrincipalMdcAndTrace() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());

    HttpResponse<String> response = server.get("/api/v1/leads", server.token(acme, "alice"),
        "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode echo = json(response);
    assertThat(echo.get("tenant").asText()).isEqualTo(acme.id().toString());
    assertThat(echo.get("mdcTenant").asText()).isEqualTo(acme.id().toString());
    assertThat(echo.get("principal").asText()).isEqualTo("alice");
    assertThat(echo.get("platform").asBoolean()).isFalse();
    assertThat(echo.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(echo.get("mdcTrace").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(response.headers().firstValue("X-Trace-Id")).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(echo.get("apiVersion").asText()).isEqualTo("2025-01");
    assertThat(response.headers().firstValue("Tenancy-Api-Version")).hasValue("2025-01");
  }

  @Test
  void missingToken_401InvalidTokenWithChallenge_andNothingRuns() throws Exception {
    int before = server.handled.get();
    int rejectedBefore = server.auditEvents("auth.token_rejected").size();

    HttpResponse<String> response = server.get("/api/v1/leads", null);
    HttpResponse<String> basic = server.get("/api/v1/leads", null, "Authorization", "Basic YWxpY2U6c2VjcmV0");

    assertProblem(response, 401, "invalid-token");
    assertProblem(basic, 401, "invalid-token");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(server.handled.get()).isEqualTo(before);
    assertThat(server.auditEvents("auth.token_rejected")).hasSize(rejectedBefore + 2);
  }

  @Test
  void tamperedExpiredAlgNoneAndForeignIssuerTokens_401_andAudited() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String good = server.token(acme, "alice");
    String[] parts = good.split("\\.");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forgedPayload = b64.encodeToString(payload.replace("\"agent\"", "\"tenant_admin\"")
        .getBytes(StandardCharsets.UTF_8));
    String tampered = parts[0] + "." + forgedPayload + "." + parts[2];
    String algNone = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + parts[1] + ".";
    int rejectedBefore = server.auditEvents("auth.token_rejected").size();
    int handledBefore = server.handled.get();

    for (String bad : new String[] {tampered, algNone, server.expiredToken(acme), server.foreignIssuerToken(acme),
        "not-a-jwt"}) {
      assertProblem(server.get("/api/v1/leads", bad), 401, "invalid-token");
    }

    assertThat(server.handled.get()).isEqualTo(handledBefore);
    assertThat(server.auditEvents("auth.token_rejected")).hasSize(rejectedBefore + 5);
  }

  @Test
  void headerNamingAnotherTenant_403CrossTenant_auditedAlerted_noDataNoLeak() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    Tenant victim = server.tenant(slug("victim"), Map.of());
    String token = server.token(acme, "mallory");
    int handledBefore = server.handled.get();

    HttpResponse<String> byId = server.get("/api/v1/leads", token, "X-Tenant-ID", victim.id().toString());
    HttpResponse<String> bySlug = server.get("/api/v1/leads", token, "X-Tenant-ID", victim.slug().value());
    HttpResponse<String> unknown = server.get("/api/v1/leads", token, "X-Tenant-ID",
        "00000000-0000-4000-8000-000000000000");
    HttpResponse<String> byPath = server.get("/api/v1/t/" + victim.slug().value() + "/leads", token);

    for (HttpResponse<String> response : java.util.List.of(byId, bySlug, unknown, byPath)) {
      assertProblem(response, 403, "cross-tenant-access");
      assertThat(response.body()).doesNotContain(victim.id().toString(), victim.slug().value());
    }
    // An unknown tenant and an existing one are refused alike: no existence oracle.
    assertThat(json(unknown).get("detail")).isEqualTo(json(byId).get("detail"));
    assertThat(server.handled.get()).isEqualTo(handledBefore);
    assertThat(server.auditEvents("auth.cross_tenant_attempt"))
        .filteredOn(e -> acme.id().equals(e.tenant()))
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.actor()).isEqualTo("mallory"));
    assertThat(server.alerts.open(acme.id())).extracting(Alert::kind).containsExactly(AlertKind.SECURITY);
  }

  @Test
  void emptyTenantHeader_isAReferenceToNoTenant_refusedNotSkipped() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());

    assertProblem(server.get("/api/v1/leads", server.token(acme, "alice"), "X-Tenant-ID", ""), 403,
        "cross-tenant-access");
  }

  @Test
  void headerAndPathNamingOwnTenant_byIdOrSlug_served() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");

    assertThat(server.get("/api/v1/leads", token, "X-Tenant-ID", acme.slug().value().toUpperCase()).statusCode())
        .isEqualTo(200);
    assertThat(server.get("/api/v1/t/" + acme.id() + "/leads", token, "X-Tenant-ID", acme.id().toString())
        .statusCode()).isEqualTo(200);
  }

  @Test
  void suspendedTenant_403TenantSuspended_andNothingRuns() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");
    server.tenants.suspend(acme.id());
    int handledBefore = server.handled.get();

    assertProblem(server.get("/api/v1/leads", token), 403, "tenant-suspended");
    assertProblem(server.get("/api/v1/leads", server.platformToken("ops"), "X-Tenant-ID", acme.id().toString(),
        "X-Access-Reason", "ticket 42"), 403, "tenant-suspended");
    assertThat(server.handled.get()).isEqualTo(handledBefore);

    server.tenants.activate(acme.id());
    assertThat(server.get("/api/v1/leads", token).statusCode()).isEqualTo(200);
  }

  @Test
  void platformAdmin_inTenantNeedsHeaderAndReason_thenAuditedAsPlatformAccess() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String ops = server.platformToken("ops-" + acme.slug());

    assertProblem(server.get("/api/v1/leads", ops), 403, "forbidden");
    assertProblem(server.get("/api/v1/leads", ops, "X-Tenant-ID", acme.id().toString()), 403, "forbidden");
    assertProblem(server.get("/api/v1/leads", ops, "X-Access-Reason", "ticket 42"), 403, "forbidden");
    assertProblem(server.get("/api/v1/leads", ops, "X-Tenant-ID", "00000000-0000-4000-8000-000000000000",
        "X-Access-Reason", "ticket 42"), 403, "forbidden");

    HttpResponse<String> response = server.get("/api/v1/leads", ops, "X-Tenant-ID", acme.slug().value(),
        "X-Access-Reason", "ticket 42");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode echo = json(response);
    assertThat(echo.get("tenant").asText()).isEqualTo(acme.id().toString());
    assertThat(echo.get("platform").asBoolean()).isTrue();
    assertThat(server.auditEvents("platform_access")).filteredOn(e -> acme.id().equals(e.tenant()))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.actor()).isEqualTo("ops-" + acme.slug());
          assertThat(e.details()).containsEntry("reason", "ticket 42");
        });
  }

  @Test
  void platformPath_needsTokenButNoTenant() throws Exception {
    assertProblem(server.get("/api/v1/admin/tenants", null), 401, "invalid-token");

    HttpResponse<String> response = server.get("/api/v1/admin/tenants", server.platformToken("ops"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("tenant").isNull()).isTrue();
    assertThat(json(response).get("principal").asText()).isEqualTo("ops");
  }

  @Test
  void publicPath_needsNoToken_andPathsOutsideApiAreNotFiltered() throws Exception {
    assertThat(server.get("/api/v1/auth/token", null).statusCode()).isEqualTo(200);
    HttpResponse<String> page = server.get("/admin", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("X-Trace-Id")).isEmpty();
  }

  @Test
  void unhandledException_500InternalWithTraceIdOnly() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());

    HttpResponse<String> response = server.get("/api/v1/boom", server.token(acme, "alice"));

    assertProblem(response, 500, "internal");
    assertThat(response.body()).doesNotContain("secret", "tenant_other", "IllegalState");
  }

  @Test
  void apiVersion_pinnedPerTenant_overridableWithinAllowed() throws Exception {
    Tenant pinned = server.tenant(NewTenant.of(slug("pinned"), "Pinned").withApiVersion("2024-06")
        .withSettings(Map.of("allowedApiVersions", "2024-06, 2025-01")));
    String token = server.token(pinned, "alice");

    HttpResponse<String> plain = server.get("/api/v1/me", token);
    HttpResponse<String> override = server.get("/api/v1/me", token, "Tenancy-Api-Version", "2025-01");
    HttpResponse<String> notAllowed = server.get("/api/v1/me", token, "Tenancy-Api-Version", "2025-06");
    HttpResponse<String> unknown = server.get("/api/v1/me", token, "Tenancy-Api-Version", "1999");

    assertThat(json(plain).get("apiVersion").asText()).isEqualTo("2024-06");
    assertThat(plain.headers().firstValue("Tenancy-Api-Version")).hasValue("2024-06");
    assertThat(json(override).get("apiVersion").asText()).isEqualTo("2025-01");
    assertThat(override.headers().firstValue("Tenancy-Api-Version")).hasValue("2025-01");
    assertProblem(notAllowed, 400, "validation-failed");
    assertThat(json(notAllowed).get("allowedApiVersions")).hasSize(2);
    assertProblem(unknown, 400, "validation-failed");
  }

  @Test
  void bodyOverLimit_413_byContentLengthAndWhileStreaming() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");
    int twoMiB = 2 * 1024 * 1024;

    // Declared too large: answered from the Content-Length alone. A raw socket sends the headers only, so the answer
    // cannot race a client still writing a body the server will never read (nor can a server that waited hang us).
    String declared;
    URI base = server.baseUri();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/leads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
          + "\r\nContent-Length: " + twoMiB + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      declared = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    // ofInputStream has no length: sent chunked, caught while the application reads it. Just over the limit, so the
    // whole body is in the socket buffers before the server answers and closes.
    byte[] overLimit = new byte[1024 * 1024 + 16 * 1024];
    HttpResponse<String> chunked = server.send(server.request("/api/v1/leads", token)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(overLimit))).build());
    HttpResponse<String> small = server.send(server.request("/api/v1/leads", token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024])).build());

    assertThat(declared).startsWith("HTTP/1.1 413").contains("https://tenancy.dev/problems/payload-too-large");
    assertProblem(chunked, 413, "payload-too-large");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(json(small).get("bodyBytes").asLong()).isEqualTo(1024 * 1024);
  }

  @Test
  void contextAndMdc_clearedAfterEachRequest_noLeakToTheNextOnTheSameWorker() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");
    java.util.Set<String> tenantThreads = new java.util.HashSet<>();
    java.util.Set<String> plainThreads = new java.util.HashSet<>();

    for (int i = 0; i < 40; i++) {
      HttpResponse<String> tenantCall = server.get("/api/v1/leads", token);
      tenantThreads.add(json(tenantCall).get("thread").asText());
      // Not under /api: not filtered, so whatever it sees was left behind by an earlier request on that thread.
      JsonNode plain = json(server.get("/plain/check", null));
      plainThreads.add(plain.get("thread").asText());
      assertThat(plain.get("tenant").isNull()).isTrue();
      assertThat(plain.get("principal").isNull()).isTrue();
      assertThat(plain.get("mdcTenant").isNull()).isTrue();
      assertThat(plain.get("mdcTrace").isNull()).isTrue();
      assertThat(plain.get("platform").asBoolean()).isFalse();
    }
    // The check means something only if the same workers served both kinds of request.
    tenantThreads.retainAll(plainThreads);
    assertThat(tenantThreads).isNotEmpty();
  }

  @Test
  void tenantStatusChange_appliesToTheVeryNextRequest() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");
    assertThat(server.get("/api/v1/leads", token).statusCode()).isEqualTo(200);

    server.tenants.changeStatus(acme.id(), TenantStatus.SUSPENDED);

    assertProblem(server.get("/api/v1/leads", token), 403, "tenant-suspended");
  }

  @Test
  void metrics_recordedPerTenant_readableFromTheView() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of());
    String token = server.token(acme, "alice");
    for (int i = 0; i < 5; i++) {
      server.get("/api/v1/leads", token);
    }
    server.get("/api/v1/boom", token);

    // Recorded when the filter returns, which may be just after the client has its response.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> server.metrics.stats(acme.id()).requests() == 6);
    var stats = server.metrics.stats(acme.id());
    assertThat(stats.errors()).isEqualTo(1);
    assertThat(stats.p50Ms()).isPositive();
    assertThat(stats.slaP95TargetMs()).isEqualTo(1000L);
    assertThat(server.auditEvents("auth.cross_tenant_attempt"))
        .noneMatch(e -> acme.id().equals(e.tenant()));
  }

}
