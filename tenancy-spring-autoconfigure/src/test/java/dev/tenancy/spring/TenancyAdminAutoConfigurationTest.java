package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.admin.TenantAdminServlet;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import dev.tenancy.servlet.dashboard.TenantDashboardServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;

class TenancyAdminAutoConfigurationTest {

  /** A well-formed platform key (tny_ + 8 id characters + 43 base64url characters), fixed for the test. */
  private static final String ADMIN_KEY = "tny_abcd1234_" + "A".repeat(43);

  private static final AutoConfigurations ALL = AutoConfigurations.of(TenancyJdbcAutoConfiguration.class,
      TenancyAutoConfiguration.class, TenancyIdentityAutoConfiguration.class, TenancyMetricsAutoConfiguration.class,
      TenancyServletAutoConfiguration.class, TenancyAdminAutoConfiguration.class);

  private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(ALL)
      .withPropertyValues("tenancy.tokens.secret=" + TenancyIdentityAutoConfigurationTest.SECRET);

  @Test
  void offByDefault() {
    web.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
    });
  }

  @Test
  void notAWebApplicationNoServlets() {
    new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("tenancy.admin.enabled=true")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("tenancyAdminServletRegistration"));
  }

  @Test
  void withoutTheServletModuleNoServlets() {
    web.withClassLoader(new FilteredClassLoader(TenantAdminServlet.class))
        .withPropertyValues("tenancy.admin.enabled=true", "tenancy.filter.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("tenancyAdminServletRegistration"));
  }

  @Test
  void onRegistersTheThreeServletsAtTheDefaultPaths() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(registration(context, "tenancyAdminServletRegistration", TenantAdminServlet.class))
          .containsExactly("/api/v1/admin/*");
      assertThat(registration(context, "tenancyAuthTokenServletRegistration", AuthTokenServlet.class))
          .containsExactly("/api/v1/auth/token");
      assertThat(registration(context, "tenancyDashboardServletRegistration", TenantDashboardServlet.class))
          .containsExactly("/admin/*");
    });
  }

  @Test
  void pathsComeFromProperties() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY,
            "tenancy.admin.api-path=/api/v2/admin/*", "tenancy.admin.token-path=/api/v2/auth/token",
            "tenancy.admin.dashboard-path=/ops/*")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(registration(context, "tenancyAdminServletRegistration", TenantAdminServlet.class))
              .containsExactly("/api/v2/admin/*");
          assertThat(registration(context, "tenancyAuthTokenServletRegistration", AuthTokenServlet.class))
              .containsExactly("/api/v2/auth/token");
          assertThat(registration(context, "tenancyDashboardServletRegistration", TenantDashboardServlet.class))
              .containsExactly("/ops/*");
        });
  }

  @Test
  void pathsTheDashboardCannotReachFailStartUp() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY,
            "tenancy.admin.api-path=/internal/admin/*")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(TenancyPropertyException.class)
              .hasMessageContaining("tenancy.admin.api-path");
        });
  }

  @Test
  void theConfiguredPlatformKeyIsImportedAndAuthenticatesAsPlatformAdmin() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY).run(context -> {
      assertThat(context).hasNotFailed();
      TenantPrincipal admin = context.getBean(ApiKeyService.class).authenticate(ADMIN_KEY);
      assertThat(admin.isPlatform()).isTrue();
      assertThat(admin.hasRole(TenantPrincipal.PLATFORM_ADMIN)).isTrue();
    });
  }

  @Test
  void withoutAConfiguredKeyOneIsGenerated() {
    web.withPropertyValues("tenancy.admin.enabled=true").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ApiKeyService.class).list(platform(), null)).singleElement()
          .satisfies(key -> assertThat(key.isPlatform()).isTrue());
    });
  }

  @Test
  void aMalformedKeyFailsStartUpWithoutEchoingIt() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=not-a-key-at-all").run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      assertThat(failure).rootCause().isInstanceOf(TenancyPropertyException.class)
          .hasMessageContaining("tenancy.admin.api-key").hasMessageNotContaining("not-a-key-at-all");
      FailureAnalysis analysis = new TenancyPropertyFailureAnalyzer().analyze(failure);
      assertThat(analysis.getAction()).contains("tenancy.admin.api-key");
    });
  }

  @Test
  void adminWithoutATokenServiceFailsNamingTheSecret() {
    new WebApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("tenancy.admin.enabled=true", "tenancy.filter.enabled=false")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("tenancy.tokens.secret"));
  }

  @Test
  void aUserRegistrationReplacesOurs() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY)
        .withUserConfiguration(OwnDashboard.class)
        .run(context -> assertThat(registration(context, "tenancyDashboardServletRegistration",
            TenantDashboardServlet.class)).containsExactly("/mine/*"));
  }

  /**
   * End to end through the beans, the way a browser goes: the platform key buys a token at the token endpoint, the
   * filter verifies it, and the admin API lists tenants.
   */
  @Test
  void thePlatformKeyBuysATokenThatTheAdminApiAccepts() {
    web.withPropertyValues("tenancy.admin.enabled=true", "tenancy.admin.api-key=" + ADMIN_KEY).run(context -> {
      assertThat(context).hasNotFailed();
      context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));
      ObjectMapper json = new ObjectMapper();

      MockHttpServletRequest tokenRequest = new MockHttpServletRequest("POST", "/api/v1/auth/token");
      tokenRequest.setServletPath("/api/v1/auth/token");
      tokenRequest.setContentType("application/json");
      tokenRequest.setContent(("{\"apiKey\":\"" + ADMIN_KEY + "\"}").getBytes(StandardCharsets.UTF_8));
      MockHttpServletResponse tokenResponse = serve(context, "tenancyAuthTokenServletRegistration", tokenRequest);
      assertThat(tokenResponse.getStatus()).isEqualTo(200);
      String token = json.readTree(tokenResponse.getContentAsString()).get("accessToken").asText();

      MockHttpServletRequest list = new MockHttpServletRequest("GET", "/api/v1/admin/tenants");
      list.setServletPath("/api/v1/admin");
      list.setPathInfo("/tenants");
      list.addHeader("Authorization", "Bearer " + token);
      MockHttpServletResponse listed = serve(context, "tenancyAdminServletRegistration", list);
      assertThat(listed.getStatus()).as(listed.getContentAsString()).isEqualTo(200);
      JsonNode body = json.readTree(listed.getContentAsString());
      assertThat(body.toString()).contains("acme");

      MockHttpServletRequest anonymous = new MockHttpServletRequest("GET", "/api/v1/admin/tenants");
      anonymous.setServletPath("/api/v1/admin");
      anonymous.setPathInfo("/tenants");
      assertThat(serve(context, "tenancyAdminServletRegistration", anonymous).getStatus()).isEqualTo(401);
    });
  }

  private static MockHttpServletResponse serve(AssertableWebApplicationContext context, String registration,
      MockHttpServletRequest request) throws Exception {
    HttpServlet servlet = (HttpServlet) context.getBean(registration, ServletRegistrationBean.class).getServlet();
    ServletConfig config = new MockServletConfig(registration);
    servlet.init(config);
    MockHttpServletResponse response = new MockHttpServletResponse();
    // Through the auto-configured filter, as the container would run it, then into the servlet.
    context.getBean(TenantFilter.class).doFilter(request, response, new MockFilterChain(servlet));
    return response;
  }

  private static java.util.Collection<String> registration(AssertableWebApplicationContext context, String name,
      Class<?> servletType) {
    assertThat(context).hasBean(name);
    ServletRegistrationBean<?> registration = context.getBean(name, ServletRegistrationBean.class);
    assertThat(registration.getServlet()).isInstanceOf(servletType);
    return registration.getUrlMappings();
  }

  private static TenantPrincipal platform() {
    return new TenantPrincipal(null, "ops", java.util.Set.of(TenantPrincipal.PLATFORM_ADMIN),
        dev.tenancy.core.identity.PrincipalKind.PLATFORM, null, null, null);
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDashboard {
    @Bean
    ServletRegistrationBean<TenantDashboardServlet> tenancyDashboardServletRegistration() {
      return new ServletRegistrationBean<>(TenantDashboardServlet.builder().build(), "/mine/*");
    }
  }
}
