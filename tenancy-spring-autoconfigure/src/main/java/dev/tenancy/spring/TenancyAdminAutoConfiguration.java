package dev.tenancy.spring;

import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.data.MigrationStatusView;
import dev.tenancy.core.data.TenantBackups;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.servlet.admin.TenantAdminServlet;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import dev.tenancy.servlet.dashboard.TenantDashboardServlet;
import jakarta.servlet.Servlet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code tenancy.admin.enabled=true} in a servlet web application: the admin REST API
 * ({@link TenantAdminServlet}, default {@code /api/v1/admin/*}), the token endpoint ({@link AuthTokenServlet},
 * default {@code /api/v1/auth/token}) and the live dashboard ({@link TenantDashboardServlet}, default
 * {@code /admin/*}), each replaceable by a bean of the registration's name.
 *
 * <p>The admin API trusts the {@code TenantFilter} in front of it to verify bearer tokens and requires role
 * {@code platform_admin}. An operator gets such a token from the token endpoint with the platform-admin API key:
 * {@code tenancy.admin.api-key} (imported into the key store at start-up if missing), or, when unset, a key generated
 * at start-up and logged once.
 */
@AutoConfiguration(after = {TenancyAutoConfiguration.class, TenancyIdentityAutoConfiguration.class,
    TenancyMetricsAutoConfiguration.class, TenancyServletAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({TenantAdminServlet.class, ServletRegistrationBean.class})
@ConditionalOnProperty(prefix = "tenancy.admin", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(TenancyProperties.class)
public final class TenancyAdminAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(TenancyAdminAutoConfiguration.class);
  private static final String TOKEN_SUFFIX = "/auth/token";

  /** Creates the configuration (used by Spring). */
  public TenancyAdminAutoConfiguration() {
  }

  /**
   * The admin API, wired with every optional service the application has; the rows of a missing one answer 404
   * saying which service enables them.
   *
   * @param tenants the tenant service
   * @param apiKeys the API key service, if any
   * @param quotas the quota manager, if any
   * @param audit the audit log, if any (used together with the sink)
   * @param sink the audit sink, if any
   * @param backups tenant backups, if any
   * @param migrations the migration status view, if any
   * @param health the tenant health checks, if any
   * @param metrics the per-tenant metrics view, if any
   * @param alerts the alert center, if any
   * @param properties the bound properties
   * @return the registration at {@code tenancy.admin.api-path}
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyAdminServletRegistration")
  public ServletRegistrationBean<TenantAdminServlet> tenancyAdminServletRegistration(TenantService tenants,
      ObjectProvider<ApiKeyService> apiKeys, ObjectProvider<QuotaManager> quotas, ObjectProvider<AuditLog> audit,
      ObjectProvider<AuditSink> sink, ObjectProvider<TenantBackups> backups,
      ObjectProvider<MigrationStatusView> migrations, ObjectProvider<TenantHealthChecks> health,
      ObjectProvider<TenantMetricsView> metrics, ObjectProvider<AlertCenter> alerts, TenancyProperties properties) {
    TenantAdminServlet.Builder builder = TenantAdminServlet.builder().tenants(tenants);
    apiKeys.ifUnique(builder::apiKeys);
    quotas.ifUnique(builder::quotas);
    AuditLog log = audit.getIfUnique();
    AuditSink auditSink = sink.getIfUnique();
    if (log != null && auditSink != null) {
      builder.audit(log, auditSink);
    }
    backups.ifUnique(builder::backups);
    migrations.ifUnique(builder::migrations);
    health.ifUnique(builder::health);
    metrics.ifUnique(builder::metrics);
    alerts.ifUnique(builder::alerts);
    return registration(builder.build(), "tenancyAdmin", properties.getAdmin().getApiPath());
  }

  /**
   * The token endpoint; first makes sure the platform-admin key exists, so an operator can sign in as soon as the
   * application serves.
   *
   * @param apiKeys the API key service
   * @param tokens the token service
   * @param properties the bound properties
   * @return the registration at {@code tenancy.admin.token-path}
   * @throws TenancyPropertyException if there is no token service, or {@code tenancy.admin.api-key} is not a key
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyAuthTokenServletRegistration")
  public ServletRegistrationBean<AuthTokenServlet> tenancyAuthTokenServletRegistration(ApiKeyService apiKeys,
      ObjectProvider<TenantTokenService> tokens, TenancyProperties properties) {
    TenantTokenService tokenService = tokens.getIfUnique();
    if (tokenService == null) {
      throw TenancyServletAutoConfiguration.missingTokenService();
    }
    TenancyProperties.Admin admin = properties.getAdmin();
    ensurePlatformKey(apiKeys, admin.getApiKey());
    AuthTokenServlet servlet = AuthTokenServlet.builder().apiKeys(apiKeys).tokens(tokenService)
        .tokenLifetime(admin.getTokenLifetime()).build();
    return registration(servlet, "tenancyAuthToken", admin.getTokenPath());
  }

  /**
   * The dashboard page; it calls the token endpoint and the admin API, so their paths must share one base
   * ({@code <base>/auth/token} and {@code <base>/admin/*}).
   *
   * @param properties the bound properties
   * @return the registration at {@code tenancy.admin.dashboard-path}
   * @throws TenancyPropertyException if the token and API paths do not share a base
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyDashboardServletRegistration")
  public ServletRegistrationBean<TenantDashboardServlet> tenancyDashboardServletRegistration(
      TenancyProperties properties) {
    TenancyProperties.Admin admin = properties.getAdmin();
    TenantDashboardServlet servlet = TenantDashboardServlet.builder().apiBasePath(apiBasePath(admin)).build();
    return registration(servlet, "tenancyDashboard", admin.getDashboardPath());
  }

  static String apiBasePath(TenancyProperties.Admin admin) {
    String tokenPath = admin.getTokenPath();
    String base = tokenPath.endsWith(TOKEN_SUFFIX) ? tokenPath.substring(0, tokenPath.length() - TOKEN_SUFFIX.length())
        : null;
    if (base == null || base.isEmpty() || !admin.getApiPath().equals(base + "/admin/*")) {
      throw new TenancyPropertyException("tenancy.admin.token-path",
          "The dashboard calls <base>/auth/token and <base>/admin/*, but tenancy.admin.token-path (" + tokenPath
              + ") and tenancy.admin.api-path (" + admin.getApiPath() + ") do not share such a base.",
          "Set them to one base, e.g. tenancy.admin.token-path=/api/v1/auth/token and "
              + "tenancy.admin.api-path=/api/v1/admin/*, or replace the bean tenancyDashboardServletRegistration.");
    }
    return base;
  }

  /**
   * As the hand-wired example does: the configured key is imported (a no-op when the store already holds it);
   * without one a key is generated and shown once in the log.
   */
  static void ensurePlatformKey(ApiKeyService apiKeys, @Nullable String configured) {
    if (configured == null || configured.isBlank()) {
      IssuedApiKey issued = apiKeys.createPlatformKey("admin", "generated at start", null);
      LOG.warn("Platform admin API key (shown once): {} — set tenancy.admin.api-key to keep one across restarts",
          issued.secret());
      return;
    }
    try {
      apiKeys.importPlatformKey(configured.strip(), "admin", "tenancy.admin.api-key");
    } catch (IllegalArgumentException e) {
      throw new TenancyPropertyException("tenancy.admin.api-key",
          "tenancy.admin.api-key is not a usable platform key: " + e.getMessage() + ".",
          "Set tenancy.admin.api-key to a key generated by Tenancy (start once without it and copy the key it "
              + "logs), or remove it to have one generated at every start.");
    }
  }

  private static <S extends Servlet> ServletRegistrationBean<S> registration(S servlet, String name,
      String path) {
    ServletRegistrationBean<S> registration = new ServletRegistrationBean<>(servlet, path);
    registration.setName(name);
    return registration;
  }
}
