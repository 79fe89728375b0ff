package dev.tenancy.servlet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Drives the dashboard in headless Chromium against an embedded Jetty: sign in with the platform key, see the
 * tenants, watch a quota alert arrive while a tenant crosses its soft threshold, suspend that tenant from the page and
 * see its next API request refused. Screenshots land in {@code target/dashboard-it/}.
 *
 * <p>Skipped when Chromium or chromedriver is missing, unless {@code TENANCY_IT_REQUIRED=true}, when it fails.
 */
class TenantDashboardBrowserIT {

  private static final Path ARTIFACTS = Path.of("target", "dashboard-it");
  private static final String ROW = "#tenant-rows tr[data-tenant-slug='%s'] ";

  private static FakeAdminApi api;
  private static DashboardServer server;
  private static HeadlessChromium browser;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.skipOrFailWhenMissing();
    api = new FakeAdminApi();
    server = new DashboardServer(TenantDashboardServlet.builder().pollInterval(Duration.ofSeconds(1)).build(), api);
    browser = new HeadlessChromium(ARTIFACTS, 1440, 960);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void signIn_watchQuotaAlert_suspend_tenantRefused() throws Exception {
    browser.open(server.uri("/admin").toString());
    eventually().until(() -> browser.displayed("#signin-form"));

    // A wrong key shows the problem's title and detail, and keeps the sign-in form.
    browser.type("#api-key", "not-the-key");
    browser.click("#signin-submit");
    eventually().untilAsserted(() -> assertThat(browser.text("#signin-error"))
        .isEqualTo("Invalid API key — The API key is unknown or revoked."));
    assertThat(browser.script("return sessionStorage.getItem('tenancy.dashboard.token')").isNull()).isTrue();

    browser.type("#api-key", FakeAdminApi.ADMIN_KEY);
    browser.click("#signin-submit");
    eventually().untilAsserted(() -> assertThat(browser.findAll("#tenant-rows tr")).hasSize(5));
    assertThat(browser.text(row("acme") + ".tenant-display")).isEqualTo("Acme Realty");
    assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Active");
    assertThat(browser.text(row("umbrella") + ".col-status")).isEqualTo("Suspended");
    assertThat(browser.text(row("hooli") + ".col-p95")).contains("210 ms").contains("150 ms");
    assertThat(browser.attribute(row("hooli") + ".latency-value", "class")).contains("latency-breach");
    assertThat(browser.attribute(row("acme") + ".col-api [role=meter]", "aria-valuenow")).isEqualTo("70");
    assertThat(browser.script("return sessionStorage.getItem('tenancy.dashboard.token')").asText()).isNotBlank();
    assertThat(browser.findAll("#alert-list li[data-kind=QUOTA]")).isEmpty();

    // Drive acme past its soft threshold (80 of 100 calls) through the tenant API: the alert appears on its own.
    while (api.apiCallsUsed("acme") * 100 < api.apiCallsLimit("acme") * 80) {
      assertThat(tenantRequest("acme").statusCode()).isEqualTo(200);
    }
    eventually().untilAsserted(() -> {
      assertThat(browser.text("#alert-list li[data-kind=QUOTA][data-tenant=acme]")).contains("apiCallsPerMonth");
      assertThat(browser.attribute(row("acme") + ".col-api [role=meter]", "aria-valuenow")).isEqualTo("80");
      assertThat(browser.attribute(row("acme") + ".col-api .bar", "class")).contains("bar-warn");
      assertThat(browser.text(row("acme") + ".col-alerts")).isEqualTo("1");
    });
    assertThat(browser.text("#stat-alerts")).isEqualTo("2");
    // Polling every second, per-tenant usage (each read audited by the real API) is read at most every 15 s;
    // the API-call bar above moved with the metrics' quota figures. Every call names its reason.
    assertThat(api.usageReads("acme")).isEqualTo(1);
    assertThat(api.reasons).containsExactly("tenant dashboard");
    browser.screenshot(ARTIFACTS.resolve("dashboard.png"));

    // Suspend acme from the page; its very next API request is refused.
    assertThat(tenantRequest("acme").statusCode()).isEqualTo(200);
    browser.click(row("acme") + "button[data-action=suspend]");
    eventually().untilAsserted(() -> {
      assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Suspended");
      assertThat(browser.findAll(row("acme") + "button[data-action=activate]")).hasSize(1);
    });
    assertThat(api.status("acme")).isEqualTo("SUSPENDED");
    HttpResponse<String> refused = tenantRequest("acme");
    assertThat(refused.statusCode()).isEqualTo(403);
    JsonNode problem = json.readTree(refused.body());
    assertThat(problem.path("type").asText()).isEqualTo("https://tenancy.dev/problems/tenant-suspended");
    browser.screenshot(ARTIFACTS.resolve("dashboard-suspended.png"));

    // A refused action shows the problem's title and detail in the banner.
    browser.click(row("initech") + "button[data-action=suspend]");
    eventually().untilAsserted(() -> {
      assertThat(browser.displayed("#problem")).isTrue();
      assertThat(browser.text("#problem-title")).isEqualTo("Illegal status transition");
      assertThat(browser.text("#problem-detail")).isEqualTo("A TRIAL tenant cannot be suspended here.");
    });
    assertThat(api.status("initech")).isEqualTo("TRIAL");

    browser.click("#problem-close");
    eventually().untilAsserted(() -> assertThat(browser.displayed("#problem")).isFalse());

    // An outage of the admin API: the page says so and keeps polling; the banner goes once the API is back.
    api.outage = true;
    eventually().untilAsserted(() -> {
      assertThat(browser.text("#problem-title")).isEqualTo("Internal error");
      assertThat(browser.displayed("#problem")).isTrue();
      assertThat(browser.text("#live-text")).isEqualTo("Reconnecting…");
      assertThat(browser.displayed("#signin-form")).as("still signed in").isFalse();
    });
    api.outage = false;
    eventually().untilAsserted(() -> {
      assertThat(browser.displayed("#problem")).isFalse();
      assertThat(browser.text("#live-text")).startsWith("Live");
    });

    // Activate brings acme back.
    browser.click(row("acme") + "button[data-action=activate]");
    eventually().untilAsserted(() -> assertThat(browser.text(row("acme") + ".col-status")).isEqualTo("Active"));
    assertThat(tenantRequest("acme").statusCode()).isEqualTo(200);

    // A tenant created meanwhile appears on the next poll; markup in its name stays text, never elements.
    api.addTenant("wayne", "Wayne <img src=x id=xss> Estates");
    eventually().untilAsserted(() -> assertThat(browser.text(row("wayne") + ".tenant-display"))
        .isEqualTo("Wayne <img src=x id=xss> Estates"));
    assertThat(browser.findAll("#xss")).isEmpty();
    assertThat(browser.findAll("#tenant-rows tr")).hasSize(6);

    // On a phone-sized window the rows become cards and still show every value.
    browser.resize(420, 900);
    eventually().untilAsserted(() -> assertThat(browser.displayed("#tenants-table thead")).isFalse());
    browser.script("document.getElementById('toast').hidden = true;"
        + " document.getElementById('tenants-heading').scrollIntoView()");
    browser.screenshot(ARTIFACTS.resolve("dashboard-narrow.png"));

    // The dark scheme follows the system setting.
    browser.resize(1440, 960);
    browser.colorScheme("dark");
    eventually().untilAsserted(() -> assertThat(browser.script(
        "return getComputedStyle(document.body).backgroundColor").asText()).isEqualTo("rgb(17, 22, 29)"));
    browser.screenshot(ARTIFACTS.resolve("dashboard-dark.png"));
  }

  private static String row(String slug) {
    return ROW.formatted(slug);
  }

  private HttpResponse<String> tenantRequest(String slug) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/me")).header("X-Tenant-ID", slug).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }
}
