package dev.tenancy.servlet.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.InvalidApiKeyException;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.servlet.Problem;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.Problems;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/token}: exchanges an API key for a short-lived bearer token. Body {@code {"apiKey":"…"}};
 * answer {@code {"accessToken":"…","tokenType":"Bearer","expiresIn":900}}. A platform-admin key yields a token with
 * role {@value TenantPrincipal#PLATFORM_ADMIN} and no {@code org_id}; a tenant's key a token with that tenant's
 * {@code org_id} and the key's roles. A key that does not authenticate — unknown, wrong, revoked, expired, or of a
 * tenant that does not serve — gets 401 {@code invalid-token}, the same for every reason (the reason is audited by
 * {@link ApiKeyService}).
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(AuthTokenServlet.builder()
 *     .apiKeys(apiKeyService)
 *     .tokens(tokenService)
 *     .build()), "/api/v1/auth/token");
 * }</pre>
 *
 * <p>The path is public: the {@code TenantFilter} lets it through without a token.
 */
public final class AuthTokenServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AuthTokenServlet.class);

  /** How long an issued token lives unless configured: 15 minutes. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);
  /** The largest body read: an API key is under 100 characters. */
  static final int MAX_BODY_BYTES = 4096;

  private final transient ApiKeyService apiKeys;
  private final transient TenantTokenService tokens;
  private final Duration lifetime;
  private final transient Clock clock;
  private final transient ObjectMapper mapper;

  private AuthTokenServlet(ApiKeyService apiKeys, TenantTokenService tokens, Duration lifetime, Clock clock) {
    this.apiKeys = apiKeys;
    this.tokens = tokens;
    this.lifetime = lifetime;
    this.clock = clock;
    this.mapper = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** @return a builder; the API key service and the token service are required */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!request.getMethod().equalsIgnoreCase("POST")) {
      response.setHeader("Allow", "POST");
      problem(request, response, 405, "method-not-allowed", "Exchange an API key with POST", null);
      return;
    }
    String type = request.getContentType();
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      problem(request, response, 415, "unsupported-media-type", "Send {\"apiKey\":\"…\"} as application/json",
          null);
      return;
    }
    byte[] body = readLimited(request);
    if (body == null) {
      problem(request, response, 413, "payload-too-large", "The body is larger than " + MAX_BODY_BYTES
          + " bytes; it holds one API key", null);
      return;
    }
    String key;
    try {
      JsonNode node = mapper.readTree(body);
      key = apiKey(node);
    } catch (JsonProcessingException malformed) {
      problem(request, response, 400, "validation-failed", "The body is not well-formed JSON",
          Map.of("field", "body", "message", "must be a JSON object {\"apiKey\":\"…\"}"));
      return;
    } catch (IllegalArgumentException invalid) {
      String[] parts = invalid.getMessage().split(": ", 2);
      problem(request, response, 400, "validation-failed", invalid.getMessage(),
          Map.of("field", parts[0], "message", parts[1]));
      return;
    }
    TenantPrincipal principal;
    try {
      principal = apiKeys.authenticate(key);
    } catch (InvalidApiKeyException refused) {
      problem(request, response, 401, "invalid-token", "The API key is not valid", null);
      return;
    }
    Instant now = clock.instant();
    String token;
    try {
      token = tokens.issue(principal, lifetime);
    } catch (IllegalArgumentException expired) {
      // The key expired between the check and the issue.
      problem(request, response, 401, "invalid-token", "The API key is not valid", null);
      return;
    }
    long expiresIn = lifetime.toSeconds();
    if (principal.expiresAt() != null) {
      expiresIn = Math.max(1, Math.min(expiresIn, Duration.between(now, principal.expiresAt()).toSeconds()));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("accessToken", token);
    answer.put("tokenType", "Bearer");
    answer.put("expiresIn", expiresIn);
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    mapper.writeValue(response.getOutputStream(), answer);
  }

  private static String apiKey(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("body: must be a JSON object {\"apiKey\":\"…\"}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("apiKey")) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        throw new IllegalArgumentException(shown.replaceAll("[^\\x20-\\x7e]", "?")
            + ": is not a known field; allowed: apiKey");
      }
    }
    JsonNode key = node.get("apiKey");
    if (key == null || key.isNull()) {
      throw new IllegalArgumentException("apiKey: is required");
    }
    if (!key.isTextual()) {
      throw new IllegalArgumentException("apiKey: must be a string");
    }
    return key.textValue();
  }

  /** The body, or {@code null} when it is over the limit; never reads more than the limit plus one byte. */
  private static byte @Nullable [] readLimited(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    try (InputStream in = request.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          return null;
        }
      }
    }
    return out.toByteArray();
  }

  private void problem(HttpServletRequest request, HttpServletResponse response, int status, String code,
      String detail, @Nullable Map<String, String> error) throws IOException {
    String traceId = TenancyRequest.traceId(request)
        .orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
    if (status == 401) {
      LOG.debug("token exchange refused (trace {})", traceId);
    }
    for (ProblemType type : ProblemType.values()) {
      if (type.code().equals(code) && type.status() == status) {
        Problems.write(request, response, new Problem(type, detail, request.getRequestURI(), traceId,
            error == null ? Map.of() : Map.of("errors", List.of(error))));
        return;
      }
    }
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", ProblemType.BASE + code);
    String words = code.replace('-', ' ');
    body.put("title", Character.toUpperCase(words.charAt(0)) + words.substring(1));
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", request.getRequestURI());
    body.put("traceId", traceId);
    if (error != null) {
      body.put("errors", List.of(error));
    }
    mapper.writeValue(response.getOutputStream(), body);
  }

  /** Configures an {@link AuthTokenServlet}. */
  public static final class Builder {
    private @Nullable ApiKeyService apiKeys;
    private @Nullable TenantTokenService tokens;
    private Duration lifetime = DEFAULT_TOKEN_LIFETIME;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * @param service authenticates the presented keys; required
     * @return this builder
     */
    public Builder apiKeys(ApiKeyService service) {
      this.apiKeys = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * @param service issues the tokens; it needs a signing key; required
     * @return this builder
     */
    public Builder tokens(TenantTokenService service) {
      this.tokens = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * @param ttl how long issued tokens live; {@link #DEFAULT_TOKEN_LIFETIME} if not set (never longer than the
     *     key behind them)
     * @return this builder
     */
    public Builder tokenLifetime(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("tokenLifetime must be at least 1 second, was " + ttl);
      }
      this.lifetime = ttl;
      return this;
    }

    /**
     * @param time the clock used to compute {@code expiresIn}; the token service's clock should agree
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * @return the servlet
     * @throws IllegalStateException if a required service is missing
     */
    public AuthTokenServlet build() {
      if (apiKeys == null || tokens == null) {
        throw new IllegalStateException("AuthTokenServlet needs apiKeys(apiKeyService) and tokens(tokenService)");
      }
      return new AuthTokenServlet(apiKeys, tokens, lifetime, clock);
    }
  }
}
