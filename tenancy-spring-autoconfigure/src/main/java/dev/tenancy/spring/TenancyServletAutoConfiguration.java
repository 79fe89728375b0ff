package dev.tenancy.spring;

import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.quota.QuotaManager;
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
 * In a servlet web application with tenancy-servlet on the class path and a {@link TenantTokenService} bean: the
 * {@link TenantFilter}, registered at {@code tenancy.filter.order} (default -110, before Spring Security's filter
 * chain at -100, so security rules see the tenant). The token service is not auto-configured yet, so without one the
 * filter stays off rather than start with keys nobody chose.
 */
@AutoConfiguration(after = TenancyAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({TenantFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(prefix = "tenancy.filter", name = "enabled", havingValue = "true", matchIfMissing = true)
public class TenancyServletAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyServletAutoConfiguration() {
  }

  /**
   * @param tokens the token service
   * @param tenants the tenant service
   * @param quotas the quota manager, if any
   * @param audit the audit log, if any
   * @return the filter
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({TenantTokenService.class, TenantService.class})
  public TenantFilter tenancyTenantFilter(TenantTokenService tokens, TenantService tenants,
      ObjectProvider<QuotaManager> quotas, ObjectProvider<AuditLog> audit) {
    TenantFilter.Builder builder = TenantFilter.builder().tokens(tokens).tenants(tenants);
    quotas.ifAvailable(builder::quotas);
    audit.ifAvailable(builder::audit);
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
}
