package dev.tenancy.spring;

import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import dev.tenancy.servlet.TenantFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * In a servlet web application with tenancy-servlet on the class path: the {@link TenantFilter}, registered at
 * {@code tenancy.filter.order} (default -110, before Spring Security's filter chain at -100, so security rules see the
 * tenant). The filter needs a {@link TenantTokenService} bean (from {@code tenancy.tokens.secret}, see
 * {@link TenancyIdentityAutoConfiguration}, or the application's own): without one, start-up fails with a
 * {@link TenancyPropertyException} naming {@code tenancy.tokens.secret}, because an application that meant to be
 * filtered must never serve unfiltered by accident. {@code tenancy.filter.enabled=false} turns the filter off.
 */
@AutoConfiguration(after = {TenancyAutoConfiguration.class, TenancyIdentityAutoConfiguration.class,
    TenancyMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({TenantFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(prefix = "tenancy.filter", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class TenancyServletAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyServletAutoConfiguration() {
  }

  /**
   * @param tokens the token service; required (see the class comment)
   * @param tenants the tenant service
   * @param quotas the quota manager, if any
   * @param audit the audit log, if any
   * @param metrics the per-tenant request recorder, if any
   * @param alerts the alert center, if any
   * @param properties the bound properties
   * @return the filter
   * @throws TenancyPropertyException if there is no token service bean
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(TenantService.class)
  public TenantFilter tenancyTenantFilter(ObjectProvider<TenantTokenService> tokens, TenantService tenants,
      ObjectProvider<QuotaManager> quotas, ObjectProvider<AuditLog> audit,
      ObjectProvider<TenantMetricsRecorder> metrics, ObjectProvider<AlertCenter> alerts,
      TenancyProperties properties) {
    TenantTokenService tokenService = tokens.getIfUnique();
    if (tokenService == null) {
      throw missingTokenService();
    }
    TenantFilter.Builder builder = TenantFilter.builder().tokens(tokenService).tenants(tenants);
    quotas.ifAvailable(builder::quotas);
    audit.ifAvailable(builder::audit);
    metrics.ifUnique(builder::metrics);
    alerts.ifUnique(builder::alerts);
    TenancyProperties.Admin admin = properties.getAdmin();
    if (admin.isEnabled()) {
      // The admin servlets may live at other paths than the filter's defaults: the token endpoint is public, the
      // admin API needs a token but no tenant.
      builder.publicPath(admin.getTokenPath()).platformPath(filterPath(admin.getApiPath()));
    }
    return builder.build();
  }

  /**
   * @param filter the filter
   * @param properties the bound properties
   * @return its registration at the configured order and URL patterns
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyTenantFilterRegistration")
  @ConditionalOnBean(TenantFilter.class)
  public FilterRegistrationBean<TenantFilter> tenancyTenantFilterRegistration(TenantFilter filter,
      TenancyProperties properties) {
    FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("tenancyTenantFilter");
    registration.setOrder(properties.getFilter().getOrder());
    registration.setUrlPatterns(properties.getFilter().getUrlPatterns());
    return registration;
  }

  /** A servlet mapping such as {@code /api/v1/admin/*} as the filter's path prefix {@code /api/v1/admin/}. */
  static String filterPath(String mapping) {
    return mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 1) : mapping;
  }

  static TenancyPropertyException missingTokenService() {
    return new TenancyPropertyException("tenancy.tokens.secret",
        "The TenantFilter needs a TenantTokenService to verify bearer tokens, and there is none (or several and "
            + "none @Primary); the application would otherwise serve requests without a tenant check.",
        "Set tenancy.tokens.secret to an HS256 secret of at least 32 random bytes (e.g. `openssl rand -base64 32`), "
            + "or declare a TenantTokenService (or TokenKey) bean; or set tenancy.filter.enabled=false if this "
            + "application serves no tenant requests.");
  }
}
