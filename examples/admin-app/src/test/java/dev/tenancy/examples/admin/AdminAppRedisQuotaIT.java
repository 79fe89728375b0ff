package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With {@code TENANCY_REDIS_URL} the quota counters live in Redis: the monthly quota is still exact under concurrency.
 * Redis from {@code TENANCY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}); skipped when unreachable unless
 * {@code TENANCY_IT_REQUIRED=true}.
 */
class AdminAppRedisQuotaIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private URI base;

  @Test
  void monthlyQuotaInRedis_isExactUnderConcurrency() throws Exception {
    String redis = System.getenv().getOrDefault("TENANCY_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    requireReachable(URI.create(redis));
    try (AdminApp app = AdminApp.start(AppConfig.from(Map.of("TENANCY_REDIS_URL", redis,
        "TENANCY_JWT_SECRET", AppScenarios.SECRET), "--port=0", "--tenancy-db-url=h2:mem"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      base = URI.create("http://127.0.0.1:" + app.port());
      String admin = token(app.adminApiKey());
      HttpResponse<String> created = send("POST", "/api/v1/admin/tenants", admin, "{\"slug\":\"redis-"
          + UUID.randomUUID().toString().substring(0, 8) + "\",\"displayName\":\"Redis\",\"status\":\"ACTIVE\","
          + "\"limits\":{\"apiCallsPerMonth\":300,\"requestsPerSecond\":1000000,\"maxConcurrentRequests\":1000}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode tenant = JSON.readTree(created.body());
      String token = token(tenant.get("credentials").get("apiKey").asText());

      ExecutorService pool = Executors.newFixedThreadPool(12);
      List<Future<Integer>> results = new ArrayList<>();
      try {
        for (int i = 0; i < 330; i++) {
          results.add(pool.submit(() -> send("GET", "/api/v1/me", token, null).statusCode()));
        }
        long ok = 0;
        long refused = 0;
        for (Future<Integer> result : results) {
          int status = result.get();
          ok += status == 200 ? 1 : 0;
          refused += status == 429 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(300);
        assertThat(refused).isEqualTo(30);
      } finally {
        pool.shutdownNow();
      }
      JsonNode usage = JSON.readTree(send("GET", "/api/v1/admin/tenants/" + tenant.get("id").asText() + "/usage",
          admin, null).body());
      assertThat(usage.get("apiCalls").get("used").asLong()).isEqualTo(300);
      // The counters are in Redis, not in a silent in-memory fallback.
      io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis);
      try (var connection = client.connect()) {
        assertThat(connection.sync().keys("*{" + tenant.get("id").asText() + "}*")).isNotEmpty();
      } finally {
        client.shutdown();
      }
    }
  }

  private static void requireReachable(URI redis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort()), 2000);
    } catch (Exception e) {
      String message = "Redis is not reachable at " + redis + " (" + e.getMessage() + "); test skipped. Start Redis or "
          + "set TENANCY_TEST_REDIS_URL; CI sets TENANCY_IT_REQUIRED=true to fail instead.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      Assumptions.abort(message);
    }
  }

  private String token(String apiKey) throws Exception {
    HttpResponse<String> response = send("POST", "/api/v1/auth/token", null, "{\"apiKey\":\"" + apiKey + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("accessToken").asText();
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
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
}
