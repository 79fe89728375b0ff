package dev.tenancy.servlet.filter;

import static dev.tenancy.servlet.filter.FilterServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.alert.Alert;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limit, monthly quota and bulkhead through the filter, over real HTTP: 429s, headers, exact counters. */
class QuotaLimitsIT {

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

  @Test
  void monthlyQuota1000_calls1To1000Served_call1001Refused_usageExact() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of("apiCallsPerMonth", 1000L));
    String token = server.token(acme, "alice");
    int handledBefore = server.handled.get();
    HttpResponse<String> last = null;
    String firstWarning = null;
    int firstWarningAt = -1;
    for (int call = 1; call <= 1000; call++) {
      last = server.get("/api/v1/leads", token);
      assertThat(last.statusCode()).as("call %d", call).isEqualTo(200);
      if (firstWarning == null && last.headers().firstValue("Tenancy-Quota-Warning").isPresent()) {
        firstWarning = last.headers().firstValue("Tenancy-Quota-Warning").get();
        firstWarningAt = call;
      }
    }
    assertThat(last.headers().firstValue("RateLimit-Limit")).hasValue("1000");
    assertThat(last.headers().firstValue("RateLimit-Remaining")).hasValue("0");

    HttpResponse<String> refused = server.get("/api/v1/leads", token);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(json(refused).get("type").asText()).isEqualTo("https://tenancy.dev/problems/quota-exceeded");
    assertThat(json(refused).get("used").asLong()).isEqualTo(1000);
    assertThat(json(refused).get("max").asLong()).isEqualTo(1000);
    assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
        seconds -> assertThat(seconds).isPositive());
    assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("1000");
    assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(refused.headers().firstValue("RateLimit-Reset")).isPresent();
    assertThat(server.handled.get() - handledBefore).isEqualTo(1000);
    assertThat(server.quotas.usage(server.info(acme)).apiCalls().used()).isEqualTo(1000);
    // Soft threshold at 80 %: served with a warning header from call 800 on, and one alert per threshold.
    assertThat(firstWarningAt).isEqualTo(800);
    assertThat(firstWarning).isEqualTo("apiCallsPerMonth; used=800; limit=1000");
    assertThat(server.alerts.open(acme.id())).filteredOn(a -> a.kind() == AlertKind.QUOTA)
        .extracting(Alert::message)
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).contains("80 %"))
        .anySatisfy(m -> assertThat(m).contains("100 %"));
    assertThat(server.metrics.stats(acme.id()).throttled()).isEqualTo(1);
  }

  @Test
  void rateLimit_burstOfTwiceTheRate_thenRateLimitedWithHeaders() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of("requestsPerSecond", 1L));
    String token = server.token(acme, "alice");

    HttpResponse<String> first = server.get("/api/v1/leads", token);
    HttpResponse<String> second = server.get("/api/v1/leads", token);
    HttpResponse<String> third = server.get("/api/v1/leads", token);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("2");
    assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("1");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(json(third).get("type").asText()).isEqualTo("https://tenancy.dev/problems/rate-limited");
    assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(third.headers().firstValue("RateLimit-Limit")).hasValue("2");
    assertThat(third.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(third.headers().firstValue("RateLimit-Reset")).hasValue("1");
  }

  @Test
  void bulkhead_thirdConcurrentRequestRefused_slotsGivenBackAfterwards() throws Exception {
    Tenant acme = server.tenant(slug("acme"), Map.of("maxConcurrentRequests", 2L));
    Tenant neighbour = server.tenant(slug("neighbour"), Map.of("maxConcurrentRequests", 2L));
    String token = server.token(acme, "alice");
    CountDownLatch gate = new CountDownLatch(1);
    server.gate = gate;
    server.waiting.set(0);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        inFlight.add(server.sendAsync(server.request("/api/v1/slow", token).GET().build()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> server.waiting.get() == 2);

      HttpResponse<String> third = server.get("/api/v1/leads", token);
      HttpResponse<String> other = server.get("/api/v1/leads", server.token(neighbour, "bob"));

      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(json(third).get("type").asText()).isEqualTo("https://tenancy.dev/problems/quota-exceeded");
      assertThat(json(third).get("limit").asText()).isEqualTo("maxConcurrentRequests");
      assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(other.statusCode()).as("another tenant is not affected").isEqualTo(200);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> call : inFlight) {
      assertThat(call.get().statusCode()).isEqualTo(200);
    }
    assertThat(server.get("/api/v1/leads", token).statusCode()).isEqualTo(200);
  }

  @Test
  void quotaStoreDown_503WithRetryAfter_andNothingRuns() throws Exception {
    QuotaStore down = (QuotaStore) Proxy.newProxyInstance(QuotaStore.class.getClassLoader(),
        new Class<?>[] {QuotaStore.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "down" : method.invoke(this, args);
          }
          throw new QuotaStoreUnavailableException("redis://10.0.0.1:6379", "connection refused");
        });
    try (FilterServer broken = new FilterServer(down)) {
      Tenant acme = broken.tenant(slug("acme"), Map.of("apiCallsPerMonth", 1000L));

      HttpResponse<String> response = broken.get("/api/v1/leads", broken.token(acme, "alice"));

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(json(response).get("type").asText()).isEqualTo("https://tenancy.dev/problems/unavailable");
      assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(response.body()).doesNotContain("10.0.0.1", "redis");
      assertThat(broken.handled.get()).isZero();
    }
  }
}
