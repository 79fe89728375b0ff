package dev.tenancy.servlet.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantResolverTest {

  /** A request that answers only the getters the resolvers use. */
  private static HttpServletRequest request(String host, String uri, Map<String, String> headers) {
    return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getServerName" -> host;
          case "getRequestURI" -> uri;
          case "getContextPath" -> "";
          case "getHeader" -> headers.get((String) args[0]);
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void subdomain_takesTheLabelRightUnderTheBaseDomainOnly() {
    TenantResolver resolver = TenantResolver.subdomain("Example.com");

    assertThat(resolver.resolve(request("acme.example.com", "/", Map.of()), null)).hasValue("acme");
    assertThat(resolver.resolve(request("ACME.EXAMPLE.COM", "/", Map.of()), null)).hasValue("acme");
    assertThat(resolver.resolve(request("evil.acme.example.com", "/", Map.of()), null)).hasValue("acme");
    assertThat(resolver.resolve(request("example.com", "/", Map.of()), null)).isEmpty();
    assertThat(resolver.resolve(request("acme.example.org", "/", Map.of()), null)).isEmpty();
    assertThat(resolver.resolve(request("notexample.com", "/", Map.of()), null)).isEmpty();
  }

  @Test
  void pathPrefix_takesTheNextSegment() {
    TenantResolver resolver = TenantResolver.pathPrefix("/api/v1/t/");

    assertThat(resolver.resolve(request("h", "/api/v1/t/acme/leads", Map.of()), null)).hasValue("acme");
    assertThat(resolver.resolve(request("h", "/api/v1/t/acme", Map.of()), null)).hasValue("acme");
    assertThat(resolver.resolve(request("h", "/api/v1/leads", Map.of()), null)).isEmpty();
    assertThatThrownBy(() -> TenantResolver.pathPrefix("api")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void header_emptyValueStillCounts_soItCannotBeSkipped() {
    TenantResolver resolver = TenantResolver.header("X-Tenant-ID");

    assertThat(resolver.resolve(request("h", "/", Map.of("X-Tenant-ID", " acme ")), null)).hasValue("acme");
    assertThat(resolver.resolve(request("h", "/", Map.of("X-Tenant-ID", "")), null)).hasValue("");
    assertThat(resolver.resolve(request("h", "/", Map.of()), null)).isEmpty();
  }

  @Test
  void tokenClaim_namesThePrincipalsTenant_noneForPlatform() {
    TenantId id = TenantId.random();
    TenantPrincipal user = new TenantPrincipal(id, "alice", Set.of(), PrincipalKind.USER, null, null, null);
    TenantPrincipal ops = new TenantPrincipal(null, "ops", Set.of(TenantPrincipal.PLATFORM_ADMIN),
        PrincipalKind.PLATFORM, null, null, null);
    HttpServletRequest request = request("h", "/", Map.of());

    assertThat(TenantResolver.tokenClaim().resolve(request, user)).hasValue(id.toString());
    assertThat(TenantResolver.tokenClaim().resolve(request, ops)).isEmpty();
    assertThat(TenantResolver.tokenClaim().resolve(request, null)).isEmpty();
  }
}
