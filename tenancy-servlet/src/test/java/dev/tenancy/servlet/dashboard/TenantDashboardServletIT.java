package dev.tenancy.servlet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard servlet over real HTTP in Jetty 12: what it serves, with which headers, and what it refuses. */
class TenantDashboardServletIT {

  private static DashboardServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = new DashboardServer(TenantDashboardServlet.builder()
        .apiBasePath("/api/v1").pollInterval(Duration.ofSeconds(2)).build(), new FakeAdminApi());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void get_admin_servesThePageWithStrictSecurityHeaders() throws Exception {
    for (String path : new String[] {"/admin", "/admin/"}) {
      HttpResponse<String> page = get(path, null);

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
          "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(page.body())
          .contains("<meta name=\"tenancy-api-base\" content=\"/api/v1\">")
          .contains("<meta name=\"tenancy-poll-ms\" content=\"2000\">")
          .containsPattern("<script src=\"/admin/dashboard\\.js\\?v=[0-9a-f]{24}\" defer></script>")
          .containsPattern("<link rel=\"stylesheet\" href=\"/admin/dashboard\\.css\\?v=[0-9a-f]{24}\">")
          .doesNotContain("{{");
    }
  }

  @Test
  void page_hasNoInlineScriptStyleOrHandlerThatTheCspWouldBlock() throws Exception {
    String html = get("/admin", null).body();

    assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find()).as("inline <script>").isFalse();
    assertThat(html).doesNotContain("<style", " style=", "javascript:");
    assertThat(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find())
        .as("inline event handler").isFalse();
    assertThat(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find()).as("asset from another origin")
        .isFalse();
  }

  @Test
  void assets_servedWithTheirTypesAndRevalidatedByEtag() throws Exception {
    HttpResponse<String> script = get("/admin/dashboard.js", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
    assertThat(script.body()).contains("/auth/token")
        .doesNotContain(".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(");
    String etag = script.headers().firstValue("ETag").orElseThrow();
    Matcher version = Pattern.compile("dashboard\\.js\\?v=([0-9a-f]+)").matcher(get("/admin", null).body());
    assertThat(version.find()).isTrue();
    assertThat(etag).isEqualTo('"' + version.group(1) + '"');

    HttpResponse<String> again = get("/admin/dashboard.js", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<String> css = get("/admin/dashboard.css", null);
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(css.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void unknownPathOrTraversal_404_andWritesAre405() throws Exception {
    assertThat(get("/admin/other.js", null).statusCode()).isEqualTo(404);
    assertThat(get("/admin/dashboard.js/", null).statusCode()).isEqualTo(404);
    assertThat(get("/admin/..%2f..%2fpom.xml", null).statusCode()).isIn(400, 404);
    assertThat(get("/admin/TenantDashboardServlet.class", null).statusCode()).isEqualTo(404);

    HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri("/admin"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
