package dev.tenancy.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The calls the scenarios make outside the measured load: token exchange, tenant provisioning through the admin API,
 * seeding leads, reading usage. Failures throw, because a scenario that could not set up has nothing to report.
 */
final class TenantApi {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A provisioned tenant with a bearer token of its tenant_admin key. */
  record Tenant(String id, String slug, String token, List<String> seedLeads) {
  }

  private final HttpClient http;

  TenantApi(HttpClient http) {
    this.http = http;
  }

  String token(URI base, String apiKey) throws IOException, InterruptedException {
    JsonNode answer = expect(send(base, "POST", "/api/v1/auth/token", null, "{\"apiKey\":\"" + apiKey + "\"}"), 200);
    return answer.get("accessToken").asText();
  }

  /**
   * Provisions {@code count} tenants, {@code parallelism} at a time (provisioning is not what these scenarios
   * measure), each with {@code seedLeads} leads that the load reads but never deletes. On H2 use 1: concurrent
   * {@code CREATE SCHEMA} there times out on H2's lock of its SYS table (seen at 4 in parallel, about 1 in 10).
   *
   * @param body the create body of tenant {@code i}, given its slug
   */
  List<Tenant> provision(URI base, String adminToken, int count, int seedLeads, int parallelism,
      Function<String, String> body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      String run = UUID.randomUUID().toString().substring(0, 6);
      List<Future<Tenant>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String slug = "load-" + run + "-" + i;
        futures.add(pool.submit(() -> {
          JsonNode created = expect(send(base, "POST", "/api/v1/admin/tenants", adminToken, body.apply(slug)), 201);
          String token = token(base, created.get("credentials").get("apiKey").asText());
          List<String> leads = new ArrayList<>();
          for (int l = 0; l < seedLeads; l++) {
            leads.add(expect(send(base, "POST", "/api/v1/leads", token, Mix.leadBody(l)), 201).get("id").asText());
          }
          return new Tenant(created.get("id").asText(), slug, token, List.copyOf(leads));
        }));
      }
      List<Tenant> tenants = new ArrayList<>();
      for (Future<Tenant> future : futures) {
        tenants.add(future.get());
      }
      return tenants;
    } finally {
      pool.shutdownNow();
    }
  }

  /** @return the tenant's used API calls this month as the admin API reports them */
  long usedCalls(URI base, String adminToken, String tenantId) throws IOException, InterruptedException {
    return expect(send(base, "GET", "/api/v1/admin/tenants/" + tenantId + "/usage", adminToken, null), 200)
        .get("apiCalls").get("used").asLong();
  }

  HttpResponse<String> send(URI base, String method, String path, @Nullable String token, @Nullable String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode expect(HttpResponse<String> response, int status) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(response.request().method() + " " + response.uri() + " answered "
          + response.statusCode() + " (expected " + status + "): " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** @return a tenant create body with the given tier and limit overrides */
  static String tenantBody(String slug, String tier, Map<String, Long> limits) {
    StringBuilder json = new StringBuilder("{\"slug\":\"").append(slug).append("\",\"displayName\":\"Load ")
        .append(slug).append("\",\"status\":\"ACTIVE\",\"tier\":\"").append(tier).append("\",\"limits\":{");
    String sep = "";
    for (Map.Entry<String, Long> limit : limits.entrySet()) {
      json.append(sep).append('"').append(limit.getKey()).append("\":").append(limit.getValue());
      sep = ",";
    }
    return json.append("}}").toString();
  }
}
