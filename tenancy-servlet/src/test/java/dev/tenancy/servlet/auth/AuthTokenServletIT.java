package dev.tenancy.servlet.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/auth/token} over real HTTP: platform and tenant keys, and every refusal. */
class AuthTokenServletIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TenantService TENANTS = TenantService.builder().store(new InMemoryTenantStore())
      .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none())).build();
  private static final ApiKeyService KEYS = ApiKeyService.builder().store(new InMemoryApiKeyStore())
      .tenants(TENANTS).build();
  private static final TenantTokenService TOKENS = TenantTokenService.builder().issuer("tenancy-test")
      .audience("tenancy").key(TokenKey.hmac("hs", TokenAlgorithm.HS256,
          "auth-token-test-secret-0123456789abcdef".getBytes(StandardCharsets.US_ASCII)))
      .signingKey("hs").tenants(id -> TENANTS.find(id).map(TENANTS::info)).build();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static Server server;
  private static URI endpoint;

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(AuthTokenServlet.builder().apiKeys(KEYS).tokens(TOKENS).build()),
        "/api/v1/auth/token");
    server.setHandler(context);
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/v1/auth/token");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  private static HttpResponse<String> exchange(String contentType, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(endpoint).header("Content-Type", contentType)
        .POST(BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode claims(String token) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(JSON.readTree(response.body()).get("type").asText())
        .isEqualTo("https://tenancy.dev/problems/" + code);
    assertThat(response.body()).doesNotContain("Exception", "tny_");
  }

  @Test
  void platformKey_tokenWithRolePlatformAdminAndNoOrgId() throws Exception {
    String key = KEYS.createPlatformKey("ops", "ops key", null).secret();
    HttpResponse<String> response = exchange("application/json", "{\"apiKey\":\"" + key + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
    assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
    String token = body.get("accessToken").asText();
    JsonNode claims = claims(token);
    assertThat(claims.has("org_id")).isFalse();
    assertThat(claims.get("roles").get(0).asText()).isEqualTo("platform_admin");
    assertThat(claims.get("aud").isArray() ? claims.get("aud").get(0).asText() : claims.get("aud").asText())
        .isEqualTo("tenancy");
    TenantPrincipal principal = TOKENS.verify(token);
    assertThat(principal.isPlatform()).isTrue();
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void tenantKey_tokenWithOrgIdAndTheKeysRoles() throws Exception {
    Tenant tenant = TENANTS.create(NewTenant.of("auth-acme", "Acme"));
    TenantPrincipal platform = TOKENS.verify(TOKENS.issue(KEYS.authenticate(
        KEYS.createPlatformKey("ops2", "k", null).secret()), java.time.Duration.ofMinutes(1)));
    String key = KEYS.create(platform, NewApiKey.of(tenant.id(), "bot", Set.of("agent"))).secret();
    HttpResponse<String> response = exchange("application/json; charset=UTF-8", "{\"apiKey\":\"" + key + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode claims = claims(JSON.readTree(response.body()).get("accessToken").asText());
    assertThat(claims.get("org_id").asText()).isEqualTo(tenant.id().toString());
    assertThat(claims.get("roles").get(0).asText()).isEqualTo("agent");

    TENANTS.suspend(tenant.id());
    assertProblem(exchange("application/json", "{\"apiKey\":\"" + key + "\"}"), 401, "invalid-token");
  }

  @Test
  void badKeys_401InvalidToken_alike() throws Exception {
    String real = KEYS.createPlatformKey("ops3", "k", null).secret();
    String wrongSecret = real.substring(0, real.length() - 4) + (real.endsWith("AAAA") ? "BBBB" : "AAAA");
    for (String key : new String[] {"nonsense", "tny_abcdefgh_" + "A".repeat(43), wrongSecret}) {
      HttpResponse<String> response = exchange("application/json", "{\"apiKey\":\"" + key + "\"}");
      assertProblem(response, 401, "invalid-token");
      assertThat(JSON.readTree(response.body()).get("detail").asText()).isEqualTo("The API key is not valid");
    }
  }

  @Test
  void badInput_400_415_413_405() throws Exception {
    assertProblem(exchange("application/json", "{\"apiKey\":"), 400, "validation-failed");
    HttpResponse<String> unknown = exchange("application/json", "{\"apiKey\":\"x\",\"role\":\"platform_admin\"}");
    assertProblem(unknown, 400, "validation-failed");
    assertThat(JSON.readTree(unknown.body()).get("errors").get(0).get("field").asText()).isEqualTo("role");
    HttpResponse<String> missing = exchange("application/json", "{}");
    assertThat(JSON.readTree(missing.body()).get("errors").get(0).get("field").asText()).isEqualTo("apiKey");
    assertProblem(exchange("text/plain", "{\"apiKey\":\"x\"}"), 415, "unsupported-media-type");
    assertProblem(exchange("application/json", "{\"apiKey\":\"" + "x".repeat(8000) + "\"}"), 413,
        "payload-too-large");
    HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(endpoint).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }
}
