package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.servlet.TenantFilter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenancyServletAutoConfigurationTest {

  private static final AutoConfigurations ALL = AutoConfigurations.of(TenancyJdbcAutoConfiguration.class,
      TenancyAutoConfiguration.class, TenancyIdentityAutoConfiguration.class, TenancyServletAutoConfiguration.class);

  private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(ALL);

  @Test
  void withATokenServiceTheFilterIsRegisteredBeforeSpringSecurity() {
    web.withUserConfiguration(Tokens.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(TenantFilter.class);
      FilterRegistrationBean<?> registration = context.getBean("tenancyTenantFilterRegistration",
          FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isSameAs(context.getBean(TenantFilter.class));
      // Spring Security's FilterChainProxy registers at SecurityProperties.DEFAULT_FILTER_ORDER = -100.
      assertThat(registration.getOrder()).isEqualTo(-110).isLessThan(-100);
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
    });
  }

  @Test
  void orderAndPatternsComeFromProperties() {
    web.withUserConfiguration(Tokens.class)
        .withPropertyValues("tenancy.filter.order=7", "tenancy.filter.url-patterns=/api/*,/admin/*")
        .run(context -> {
          FilterRegistrationBean<?> registration = context.getBean("tenancyTenantFilterRegistration",
              FilterRegistrationBean.class);
          assertThat(registration.getOrder()).isEqualTo(7);
          assertThat(registration.getUrlPatterns()).containsExactly("/api/*", "/admin/*");
        });
  }

  /** Fail closed: an application that meant to be filtered must not start serving without its tenant check. */
  @Test
  void withoutATokenServiceStartUpFailsNamingTheSecretProperty() {
    web.run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      assertThat(failure).rootCause().isInstanceOf(TenancyPropertyException.class)
          .hasMessageContaining("tenancy.tokens.secret");
      FailureAnalysis analysis = new TenancyPropertyFailureAnalyzer().analyze(failure);
      assertThat(analysis.getAction()).contains("tenancy.tokens.secret").contains("tenancy.filter.enabled=false");
    });
  }

  @Test
  void theSecretPropertyIsEnoughForTheFilter() {
    web.withPropertyValues("tenancy.tokens.secret=" + TenancyIdentityAutoConfigurationTest.SECRET).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(TenantFilter.class).hasBean("tenancyTenantFilterRegistration");
    });
  }

  @Test
  void withoutATokenServiceButTheFilterOffTheApplicationStarts() {
    web.withPropertyValues("tenancy.filter.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(TenantFilter.class));
  }

  @Test
  void switchedOffByProperty() {
    web.withUserConfiguration(Tokens.class).withPropertyValues("tenancy.filter.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(TenantFilter.class).doesNotHaveBean("tenancyTenantFilterRegistration"));
  }

  @Test
  void notAWebApplicationNoFilter() {
    new ApplicationContextRunner().withConfiguration(ALL).withUserConfiguration(Tokens.class).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(TenantFilter.class));
  }

  @Test
  void aUserFilterIsTheOneRegistered() {
    web.withUserConfiguration(Tokens.class, OwnFilter.class).run(context -> {
      assertThat(context).hasSingleBean(TenantFilter.class);
      FilterRegistrationBean<?> registration = context.getBean("tenancyTenantFilterRegistration",
          FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isSameAs(context.getBean("myFilter"));
    });
  }

  static TenantTokenService tokens(TenantService tenants) {
    return TenantTokenService.builder().issuer("spring-test").audience("tenancy")
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256,
            "a-test-secret-that-is-long-enough-32b".getBytes(StandardCharsets.UTF_8)))
        .signingKey("hs")
        .tenants(id -> tenants.find(id).map(tenants::info))
        .build();
  }

  @Configuration(proxyBeanMethods = false)
  static class Tokens {
    @Bean
    TenantTokenService tokenService(TenantService tenants) {
      return tokens(tenants);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    @Bean
    TenantFilter myFilter(TenantTokenService tokens, TenantService tenants) {
      return TenantFilter.builder().tokens(tokens).tenants(tenants).publicPath("/health").build();
    }
  }
}
