package dev.tenancy.servlet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium against the real stack (see {@link RealAdminStack}): the {@code TenantFilter},
 * the admin and token servlets and Micrometer metrics. Sign in with a real platform key; see the tenants, a p95 over
 * its SLA target and rate-limited requests counted as throttled; watch the quota manager's 80 % alert arrive while a
 * tenant's own requests cross the soft threshold; suspend it from the page and see the filter refuse its next request
 * with 403 {@code tenant-suspended}.
 *
 * <p>Skipped when Chromium or chromedriver is missing, unless {@code TENANCY_IT_REQUIRED=true}, when it fails.
 */
class TenantDashboardAdminApiIT {

  private static final Path ARTIFACTS = Path.of("target", "dashboard-it");

  private static RealAdminStack stack;
  private static HeadlessChromium browser;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.skipOrFailWhenMissing();
    stack = new RealAdminStack(TenantDashboardServlet.builder().pollInterval(Duration.ofSeconds(1)).build());
    stack.create("acme", "Acme Realty", "pro", Map.of("apiCallsPerMonth", 20L));
    Tenant globex = stack.create("globex", "Globex Homes", "enterprise", Map.of("slaP95Millis", 40L));
    stack.create("initech", "Initech Lettings", "free", Map.of("requestsPerSecond", 1L));
    stack.workMillis.put(globex.id(), 80L);
    browser = new HeadlessChromium(ARTIFACTS, 1440, 960);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void realAdminApi_signIn_quotaAlert_suspend_nextRequestRefused() throws Exception {
    browser.open(stack.uri("/admin/").toString());
    eventually().until(() -> browser.displayed("#signin-form"));

    // The token servlet's own problem, as the page shows it: title — detail.
    JsonNode refusal = json.readTree(http.send(HttpRequest.newBuilder(stack.uri("/api/v1/auth/token"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"nope\"}"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
    browser.type("#api-key", "nope");
    browser.click("#signin-submit");
    eventually().untilAsserted(() -> assertThat(browser.text("#signin-error"))
        .isEqualTo(refusal.path("title").asText() + (refusal.hasNonNull("detail")
            ? " — " + refusal.path("detail").asText() : "")));

    // Traffic before sign-in: globex is slow against its 40 ms target, initech bursts past 1 request/s.
    for (int i = 0; i < 5; i++) {
      assertThat(stack.tenantRequest("globex").statusCode()).isEqualTo(200);
    }
    int throttled = 0;
    for (int i = 0; i < 6; i++) {
      int status = stack.tenantRequest("initech").statusCode();
      assertThat(status).isIn(200, 429);
      throttled += status == 429 ? 1 : 0;
    }
    assertThat(throttled).as("burst of 2 at 1 request/s").isPositive();

    browser.type("#api-key", stack.platformKey);
    browser.click("#signin-submit");
    eventually().untilAsserted(() -> {
      assertThat(browser.findAll("#tenant-rows tr")).hasSize(3);
      assertThat(browser.attribute(row("acme") + ".col-api [role=meter]", "aria-valuemax")).isEqualTo("20");
    });
    int throttledCount = throttled;
    eventually().untilAsserted(() -> {
      assertThat(browser.text(row("globex") + ".latency-target")).isEqualTo("/ 40 ms");
      assertThat(browser.attribute(row("globex") + ".latency-value", "class")).contains("latency-breach");
      assertThat(browser.text(row("initech") + ".col-throttled")).isEqualTo(String.valueOf(throttledCount));
      assertThat(browser.text("#stat-health")).isEqualTo("Up");
    });
    assertThat(browser.text(row("acme") + ".col-tier")).isEqualToIgnoringCase("pro");
    assertThat(browser.text("#stat-tenants")).isEqualTo("3");
    assertThat(browser.text("#stat-active")).isEqualTo("3");

    // The filter box narrows the table (and asks the API with q=); the summary still counts every tenant.
    browser.type("#tenant-filter", "glob");
    eventually().untilAsserted(() -> assertThat(browser.findAll("#tenant-rows tr")).hasSize(1));
    assertThat(browser.findAll(row("globex"))).hasSize(1);
    assertThat(browser.text("#stat-tenants")).isEqualTo("3");
    browser.type("#tenant-filter", "\uE003");
    eventually().untilAsserted(() -> assertThat(browser.findAll("#tenant-rows tr")).hasSize(3));
    assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Active");

    // 16 of 20 calls crosses the 80 % soft threshold: the quota manager raises the alert, the page shows it.
    for (int i = 0; i < 16; i++) {
      assertThat(stack.tenantRequest("acme").statusCode()).isEqualTo(200);
    }
    eventually().untilAsserted(() -> {
      assertThat(browser.findAll("#alert-list li[data-kind=QUOTA][data-tenant=acme]")).hasSize(1);
      assertThat(browser.attribute(row("acme") + ".col-api [role=meter]", "aria-valuenow")).isEqualTo("16");
      assertThat(browser.text(row("acme") + ".col-alerts")).isEqualTo("1");
    });
    browser.screenshot(ARTIFACTS.resolve("dashboard-admin-api.png"));

    // Suspend from the page: the filter refuses the tenant's very next request; the others keep serving.
    browser.click(row("acme") + "button[data-action=suspend]");
    eventually().untilAsserted(() -> {
      assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Suspended");
      assertThat(browser.text("#stat-suspended")).isEqualTo("1");
      assertThat(browser.text("#stat-active")).isEqualTo("2");
    });
    assertThat(stack.tenants.require("acme").status()).isEqualTo(TenantStatus.SUSPENDED);

    HttpResponse<String> refused = stack.tenantRequest("acme");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json.readTree(refused.body()).path("type").asText())
        .isEqualTo("https://tenancy.dev/problems/tenant-suspended");
    assertThat(stack.tenantRequest("globex").statusCode()).as("other tenants keep serving").isEqualTo(200);

    browser.click(row("acme") + "button[data-action=activate]");
    eventually().untilAsserted(() -> assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Active"));
    assertThat(stack.tenantRequest("acme").statusCode()).isEqualTo(200);
  }

  private static String row(String slug) {
    return "#tenant-rows tr[data-tenant-slug='" + slug + "'] ";
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }
}
