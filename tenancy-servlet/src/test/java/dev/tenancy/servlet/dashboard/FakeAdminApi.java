package dev.tenancy.servlet.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the admin API and the tenant filter, mounted at {@code /api/*}, that answers in the shapes
 * HTTP-API.md fixes. It lets the dashboard's browser test run before (or without) the real servlets: the page is
 * written against the contract, so the contract is what this serves.
 *
 * <p>{@code GET /api/v1/me} with {@code X-Tenant-ID: <slug>} stands for "a tenant's API request": refused with
 * 403 {@code tenant-suspended} when the tenant is suspended, otherwise counted against {@code apiCallsPerMonth},
 * raising a quota alert once the soft threshold (80 %) is crossed, as the real filter does.
 */
final class FakeAdminApi extends HttpServlet {

  static final String ADMIN_KEY = "platform-admin-key-for-tests";
  private static final String PROBLEMS = "https://tenancy.dev/problems/";

  private final transient ObjectMapper json = new ObjectMapper();
  private final transient Map<String, FakeTenant> tenants = new LinkedHashMap<>();
  private final transient List<Map<String, Object>> alerts = new ArrayList<>();
  private final transient AtomicInteger alertIds = new AtomicInteger();
  private final String token = UUID.randomUUID().toString();
  /** While set, every admin call fails with 500 {@code internal}. */
  volatile boolean outage;
  /** The {@code X-Access-Reason} of every admin call, as the real admin API would audit it. */
  final java.util.Set<String> reasons = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final transient Map<String, AtomicInteger> usageReads = new java.util.concurrent.ConcurrentHashMap<>();

  FakeAdminApi() {
    add("acme", "Acme Realty", "pro", "ACTIVE", 70, 100, 42, 200, 3);
    add("globex", "Globex Homes", "enterprise", "ACTIVE", 182_400, 1_000_000, 61, 150, 0);
    add("initech", "Initech Lettings", "basic", "TRIAL", 8_200, 10_000, 240, 300, 12);
    add("umbrella", "Umbrella Estates", "pro", "SUSPENDED", 31_000, 100_000, 0, 200, 0);
    add("hooli", "Hooli Property Group", "enterprise", "ACTIVE", 640_000, 1_000_000, 210, 150, 57);
    FakeTenant hooli = tenants.get("hooli");
    raise(hooli, "SLA", "WARNING", "p95 latency 210 ms is over the SLA target of 150 ms");
  }

  private void add(String slug, String name, String tier, String status, long used, long limit, double p95,
      double sla, long throttled) {
    tenants.put(slug, new FakeTenant(UUID.nameUUIDFromBytes(slug.getBytes()).toString(), slug, name, tier, status,
        used, limit, p95, sla, throttled));
  }

  /** Adds a tenant while the page is open, as another administrator would. */
  synchronized void addTenant(String slug, String displayName) {
    add(slug, displayName, "basic", "ACTIVE", 1_200, 10_000, 35, 300, 0);
  }

  int usageReads(String slug) {
    AtomicInteger reads = usageReads.get(slug);
    return reads == null ? 0 : reads.get();
  }

  synchronized String status(String slug) {
    return tenants.get(slug).status;
  }

  synchronized String idOf(String slug) {
    return tenants.get(slug).id;
  }

  synchronized long apiCallsLimit(String slug) {
    return tenants.get(slug).limit;
  }

  synchronized long apiCallsUsed(String slug) {
    return tenants.get(slug).used;
  }

  @Override
  protected synchronized void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    if (path.startsWith("/v1/admin/")) {
      reasons.add(String.valueOf(req.getHeader("X-Access-Reason")));
    }
    String method = req.getMethod();
    if (path.equals("/v1/auth/token") && method.equals("POST")) {
      JsonNode body = json.readTree(req.getInputStream());
      if (!ADMIN_KEY.equals(body.path("apiKey").asText())) {
        problem(resp, 401, "invalid-token", "Invalid API key", "The API key is unknown or revoked.");
        return;
      }
      write(resp, 200, Map.of("accessToken", token, "tokenType", "Bearer", "expiresIn", 900));
      return;
    }
    if (path.equals("/v1/me") && method.equals("GET")) {
      tenantRequest(req, resp);
      return;
    }
    if (!path.startsWith("/v1/admin/")) {
      problem(resp, 404, "not-found", "Not found", null);
      return;
    }
    if (outage) {
      problem(resp, 500, "internal", "Internal error", "The server failed to answer; the error is logged.");
      return;
    }
    if (!("Bearer " + token).equals(req.getHeader("Authorization"))) {
      problem(resp, 401, "invalid-token", "Invalid token", "Sign in again.");
      return;
    }
    String[] parts = path.substring("/v1/admin/".length()).split("/");
    switch (parts[0]) {
      case "tenants" -> tenants(req, resp, parts, method);
      case "metrics" -> write(resp, 200, Map.of("items", tenants.values().stream().map(FakeTenant::metrics).toList()));
      case "alerts" -> write(resp, 200, Map.of("items", alerts));
      case "health" -> write(resp, 200, Map.of("status", "UP", "checks", Map.of("database", "UP", "quotaStore", "UP")));
      default -> problem(resp, 404, "not-found", "Not found", null);
    }
  }

  private void tenants(HttpServletRequest req, HttpServletResponse resp, String[] parts, String method)
      throws IOException {
    if (parts.length == 1 && method.equals("GET")) {
      String status = req.getParameter("status");
      List<Map<String, Object>> all = tenants.values().stream()
          .filter(t -> status == null || t.status.equals(status)).map(FakeTenant::view).toList();
      int size = req.getParameter("size") == null ? 50 : Integer.parseInt(req.getParameter("size"));
      List<Map<String, Object>> items = all.subList(0, Math.min(size, all.size()));
      write(resp, 200, Map.of("items", items, "page", 0, "size", size, "total", all.size()));
      return;
    }
    FakeTenant tenant = tenants.values().stream()
        .filter(t -> t.id.equals(parts[1]) || t.slug.equals(parts[1])).findFirst().orElse(null);
    if (tenant == null) {
      problem(resp, 404, "not-found", "Tenant not found", null);
    } else if (parts.length == 3 && parts[2].equals("usage") && method.equals("GET")) {
      usageReads.computeIfAbsent(tenant.slug, k -> new AtomicInteger()).incrementAndGet();
      write(resp, 200, tenant.usage());
    } else if (parts.length == 2 && method.equals("PUT")) {
      String status = json.readTree(req.getInputStream()).path("status").asText();
      if (!status.equals("ACTIVE") && !status.equals("SUSPENDED")) {
        problem(resp, 400, "validation-failed", "Validation failed", "status must be ACTIVE or SUSPENDED");
        return;
      }
      if (tenant.slug.equals("initech")) {
        // One tenant refuses so the test sees the page show a problem's title and detail.
        problem(resp, 409, "conflict", "Illegal status transition", "A TRIAL tenant cannot be suspended here.");
        return;
      }
      tenant.status = status;
      write(resp, 200, tenant.view());
    } else {
      problem(resp, 404, "not-found", "Not found", null);
    }
  }

  private void tenantRequest(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    FakeTenant tenant = tenants.get(String.valueOf(req.getHeader("X-Tenant-ID")));
    if (tenant == null) {
      problem(resp, 401, "invalid-token", "Invalid token", null);
    } else if (tenant.status.equals("SUSPENDED")) {
      problem(resp, 403, "tenant-suspended", "Tenant suspended", "This tenant is suspended.");
    } else if (tenant.used >= tenant.limit) {
      tenant.throttled++;
      problem(resp, 429, "quota-exceeded", "Quota exceeded", "apiCallsPerMonth is used up.");
    } else {
      tenant.used++;
      if (tenant.used * 100 >= tenant.limit * 80 && !tenant.softAlerted) {
        tenant.softAlerted = true;
        raise(tenant, "QUOTA", "WARNING", "apiCallsPerMonth at 80 % (" + tenant.used + " of " + tenant.limit + ")");
      }
      write(resp, 200, Map.of("tenant", Map.of("id", tenant.id, "slug", tenant.slug, "status", tenant.status)));
    }
  }

  private void raise(FakeTenant tenant, String kind, String severity, String message) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("id", "a-" + alertIds.incrementAndGet());
    alert.put("tenant", tenant.id);
    alert.put("kind", kind);
    alert.put("severity", severity);
    alert.put("message", message);
    alert.put("raisedAt", Instant.now().toString());
    alerts.add(alert);
  }

  private void write(HttpServletResponse resp, int status, Object body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    json.writeValue(resp.getOutputStream(), body);
  }

  private void problem(HttpServletResponse resp, int status, String code, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", PROBLEMS + code);
    body.put("title", title);
    body.put("status", status);
    if (detail != null) {
      body.put("detail", detail);
    }
    resp.setStatus(status);
    resp.setContentType("application/problem+json");
    json.writeValue(resp.getOutputStream(), body);
  }

  private static final class FakeTenant {
    final String id;
    final String slug;
    final String displayName;
    final String tier;
    String status;
    long used;
    final long limit;
    final double p95;
    final double sla;
    long throttled;
    boolean softAlerted;

    FakeTenant(String id, String slug, String displayName, String tier, String status, long used, long limit,
        double p95, double sla, long throttled) {
      this.id = id;
      this.slug = slug;
      this.displayName = displayName;
      this.tier = tier;
      this.status = status;
      this.used = used;
      this.limit = limit;
      this.p95 = p95;
      this.sla = sla;
      this.throttled = throttled;
    }

    Map<String, Object> view() {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("id", id);
      view.put("slug", slug);
      view.put("displayName", displayName);
      view.put("tier", tier);
      view.put("status", status);
      return view;
    }

    Map<String, Object> usage() {
      long storageLimit = 10L * 1024 * 1024 * 1024;
      return Map.of(
          "apiCalls", Map.of("used", used, "limit", limit, "period", "2026-11"),
          "storageBytes", Map.of("used", (long) (storageLimit * (0.12 + (slug.length() % 5) * 0.15)),
              "limit", storageLimit),
          "concurrentUsers", Map.of("used", 3 + slug.length(), "limit", 25),
          "rateLimit", Map.of("limit", 50, "remaining", 50));
    }

    Map<String, Object> metrics() {
      return Map.of("tenant", id, "requests", used, "errors", throttled, "p50Ms", p95 / 3, "p95Ms", p95,
          "p99Ms", p95 * 1.6, "throttled", throttled, "slaP95TargetMs", sla,
          "quota", Map.of("apiCalls", Map.of("used", used, "limit", limit, "period", "2026-11")));
    }
  }
}
