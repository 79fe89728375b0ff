package dev.tenancy.servlet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.TenantStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium against the real {@code TenantAdminServlet} and {@code AuthTokenServlet}
 * (see {@link RealAdminStack}): sign in with a real platform key, see the tenants, watch the quota manager's 80 %
 * alert arrive, suspend from the page and see the tenant's next request refused with 403 {@code tenant-suspended}.
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
    stack.create("acme", "Acme Realty", "pro", 20, 48, 2);
    stack.create("globex", "Globex Homes", "enterprise", 1_000_000, 310, 0);
    stack.create("initech", "Initech Lettings", "free", 5_000, 95, 14);
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

    browser.type("#api-key", stack.platformKey);
    browser.click("#signin-submit");
    eventually().untilAsserted(() -> {
      assertThat(browser.findAll("#tenant-rows tr")).hasSize(3);
      assertThat(browser.attribute("#tenant-rows tr[data-tenant-slug=acme] .col-api [role=meter]", "aria-valuemax"))
          .isEqualTo("20");
    });
    assertThat(browser.text("#tenant-rows tr[data-tenant-slug=globex] .col-p95")).contains("310 ms", "250 ms");
    assertThat(browser.text("#tenant-rows tr[data-tenant-slug=initech] .col-throttled")).isEqualTo("14");
    eventually().untilAsserted(() -> assertThat(browser.text("#stat-health")).isEqualTo("Up"));
    assertThat(browser.text("#tenant-rows tr[data-tenant-slug=acme] .col-tier")).isEqualToIgnoringCase("pro");

    // 16 of 20 calls crosses the 80 % soft threshold: the quota manager raises the alert, the page shows it.
    for (int i = 0; i < 16; i++) {
      assertThat(tenantRequest("acme").statusCode()).isEqualTo(200);
    }
    eventually().untilAsserted(() -> {
      assertThat(browser.findAll("#alert-list li[data-kind=QUOTA][data-tenant=acme]")).hasSize(1);
      assertThat(browser.attribute("#tenant-rows tr[data-tenant-slug=acme] .col-api [role=meter]", "aria-valuenow"))
          .isEqualTo("16");
    });
    browser.screenshot(ARTIFACTS.resolve("dashboard-admin-api.png"));

    browser.click("#tenant-rows tr[data-tenant-slug=acme] button[data-action=suspend]");
    eventually().untilAsserted(() -> assertThat(
        browser.text("#tenant-rows tr[data-tenant-slug=acme] .col-status")).isEqualTo("Suspended"));
    assertThat(stack.tenants.require("acme").status()).isEqualTo(TenantStatus.SUSPENDED);

    HttpResponse<String> refused = tenantRequest("acme");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json.readTree(refused.body()).path("type").asText())
        .isEqualTo("https://tenancy.dev/problems/tenant-suspended");
    assertThat(tenantRequest("globex").statusCode()).as("other tenants keep serving").isEqualTo(200);
  }

  private HttpResponse<String> tenantRequest(String slug) throws Exception {
    return http.send(HttpRequest.newBuilder(stack.uri("/api/v1/me")).header("X-Tenant-ID", slug).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }
}
