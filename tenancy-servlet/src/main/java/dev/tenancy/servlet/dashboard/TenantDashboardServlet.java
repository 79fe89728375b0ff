package dev.tenancy.servlet.dashboard;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Serves the live tenant dashboard: one HTML page, its script and its style sheet, all from this servlet.
 *
 * <p>Mount it at {@code /admin/*} (the page answers at {@code /admin} and {@code /admin/}; the assets at
 * {@code /admin/dashboard.js} and {@code /admin/dashboard.css}). The page signs in with the platform-admin API key
 * through {@code POST <apiBasePath>/auth/token}, keeps the bearer token in {@code sessionStorage} for the browser tab
 * only, and polls the admin API under {@code <apiBasePath>/admin}. The servlet itself holds no secret and answers no
 * data: everything the page shows comes from the admin API, which checks the token on every call.
 *
 * <p>Every response carries a strict {@code Content-Security-Policy}: scripts, styles and API calls from this origin
 * only, no inline script or handler, no framing. The page and its assets are read from the class path once, when the
 * servlet is built.
 *
 * <p>The servlet is immutable and thread-safe. The no-argument constructor (for {@code web.xml} and containers that
 * instantiate servlets by class name) uses the defaults of {@link #builder()}.
 */
public final class TenantDashboardServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /**
   * The policy sent with every response. {@code style-src 'self'} still lets the script size usage bars through
   * the CSSOM ({@code element.style.width}); only style attributes in markup and inline style sheets are refused.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String RESOURCE_DIR = "/dev/tenancy/servlet/dashboard/";
  private static final Pattern API_BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  private final String apiBasePath;
  private final long pollMillis;
  private final String pageTemplate;
  private final Map<String, Asset> assets;

  /** Creates the dashboard with the defaults of {@link #builder()}: API under {@code /api/v1}, polling every 3 s. */
  public TenantDashboardServlet() {
    this(builder());
  }

  private TenantDashboardServlet(Builder builder) {
    this.apiBasePath = builder.apiBasePath;
    this.pollMillis = builder.pollInterval.toMillis();
    this.pageTemplate = new String(read("index.html"), StandardCharsets.UTF_8);
    this.assets = Map.of(
        "/dashboard.js", new Asset(read("dashboard.js"), "text/javascript;charset=utf-8"),
        "/dashboard.css", new Asset(read("dashboard.css"), "text/css;charset=utf-8"));
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the API under {@code /api/v1} and polling every 3 seconds
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the path, relative to the servlet context, under which the page finds {@code /auth/token} and {@code /admin} */
  public String apiBasePath() {
    return apiBasePath;
  }

  /** @return how often the page polls the admin API */
  public Duration pollInterval() {
    return Duration.ofMillis(pollMillis);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    securityHeaders(response);
    String path = request.getPathInfo();
    if (path == null || path.isEmpty() || path.equals("/") || path.equals("/index.html")) {
      page(request, response);
      return;
    }
    Asset asset = assets.get(path);
    if (asset == null) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write("Not found");
      return;
    }
    // Revalidated on every load so a redeployed dashboard is picked up at once; a 304 costs one small round trip.
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("ETag", asset.etag());
    if (asset.etag().equals(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setContentType(asset.contentType());
    response.setContentLength(asset.body().length);
    response.getOutputStream().write(asset.body());
  }

  private void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String context = request.getContextPath();
    String self = context + request.getServletPath();
    String html = pageTemplate
        .replace("{{apiBase}}", escape(context + apiBasePath))
        .replace("{{pollMillis}}", Long.toString(pollMillis))
        .replace("{{assetBase}}", escape(self))
        .replace("{{scriptVersion}}", assets.get("/dashboard.js").etag().replace("\"", ""))
        .replace("{{styleVersion}}", assets.get("/dashboard.css").etag().replace("\"", ""));
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    // The page has no data in it, but it is the entry point of an admin tool: never keep it in a shared cache.
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/html;charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static void securityHeaders(HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  /** Escapes a value for an HTML attribute; the context path comes from the container and is not ours to trust. */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static byte[] read(String name) {
    try (InputStream in = TenantDashboardServlet.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("The dashboard resource " + RESOURCE_DIR + name
            + " is missing from the class path; the tenancy-servlet jar is incomplete, rebuild or re-download it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the dashboard resource " + RESOURCE_DIR + name, e);
    }
  }

  private record Asset(byte[] body, String contentType, String etag) implements java.io.Serializable {
    Asset(byte[] body, String contentType) {
      this(body, contentType, etagOf(body));
    }

    private static String etagOf(byte[] body) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", e);
      }
    }
  }

  /** Configures a {@link TenantDashboardServlet}; each option is validated when set. */
  public static final class Builder {

    private String apiBasePath = "/api/v1";
    private Duration pollInterval = Duration.ofSeconds(3);

    private Builder() {
    }

    /**
     * Sets where the API lives, relative to the servlet context: the page calls {@code <path>/auth/token} and
     * {@code <path>/admin/...}.
     *
     * @param path an absolute path such as {@code /api/v1}, without a trailing slash
     * @return this builder
     * @throws IllegalArgumentException if the path is not of that form
     */
    public Builder apiBasePath(String path) {
      Objects.requireNonNull(path, "path");
      if (!API_BASE_PATH.matcher(path).matches()) {
        throw new IllegalArgumentException("apiBasePath must be an absolute path of plain segments without a "
            + "trailing slash, such as /api/v1; was '" + path + "'");
      }
      this.apiBasePath = path;
      return this;
    }

    /**
     * Sets how often the page polls the admin API while its tab is visible.
     *
     * @param interval between 1 second and 1 minute
     * @return this builder
     * @throws IllegalArgumentException if the interval is outside that range
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("pollInterval must be between 1 s and 1 min so the page stays live "
            + "without flooding the admin API; was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** @return the servlet */
    public TenantDashboardServlet build() {
      return new TenantDashboardServlet(this);
    }
  }
}
