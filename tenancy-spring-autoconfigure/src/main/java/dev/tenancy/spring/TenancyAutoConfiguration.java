package dev.tenancy.spring;

import dev.tenancy.core.ContextSnapshot;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaAlertListener;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.core.spi.TenantStore;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;

/**
 * The core beans: tier catalog, configuration resolver, tenant store, tenant service, quota manager, audit log and
 * the {@code @Async} context propagation. Each is {@code @ConditionalOnMissingBean}, so declaring your own bean of
 * the same type replaces it. The JDBC store and sink come from {@link TenancyJdbcAutoConfiguration}, which runs
 * first; the in-memory ones here are the fallback.
 */
@AutoConfiguration
@EnableConfigurationProperties(TenancyProperties.class)
public class TenancyAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyAutoConfiguration() {
  }

  /**
   * The built-in tiers (unless {@code tenancy.built-in-tiers=false}) with {@code tenancy.tiers.*} added or replacing.
   *
   * @param properties the bound properties
   * @return the catalog
   */
  @Bean
  @ConditionalOnMissingBean
  public TierCatalog tenancyTierCatalog(TenancyProperties properties) {
    TierCatalog.Builder builder = properties.isBuiltInTiers() ? TierCatalog.builtIn().toBuilder() : TierCatalog.builder();
    for (Map.Entry<String, TenancyProperties.TierDefinition> entry : properties.getTiers().entrySet()) {
      TenancyProperties.TierDefinition definition = entry.getValue();
      builder.tier(new Tier(entry.getKey(), Map.copyOf(definition.getLimits()),
          Map.copyOf(definition.getFeatures())));
    }
    return builder.build();
  }

  /**
   * Per-tenant overrides from {@code TENANCY_TENANT_*} environment variables, as the plain library reads them.
   *
   * @return the overrides
   */
  @Bean
  @ConditionalOnMissingBean
  public EnvironmentOverrides tenancyEnvironmentOverrides() {
    return EnvironmentOverrides.fromSystemEnvironment();
  }

  /**
   * @param catalog the tiers
   * @param overrides the environment overrides
   * @return the resolver that turns a tenant into its effective limits and features
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantConfigurationResolver tenancyConfigurationResolver(TierCatalog catalog, EnvironmentOverrides overrides) {
    return TenantConfigurationResolver.of(catalog, overrides);
  }

  /**
   * The fallback store when no JDBC store was configured: tenants live only as long as the process.
   *
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantStore tenancyTenantStore() {
    return new InMemoryTenantStore();
  }

  /**
   * @param store the tenant store
   * @param resolver the configuration resolver
   * @param listeners every {@link TenantLifecycleListener} bean, in order
   * @param steps every {@link ProvisioningStep} bean, in order: a new tenant serves only once each has run, a
   *     failing one undoes those before it, and a purge deprovisions them in reverse
   * @param properties the bound properties
   * @return the tenant service
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantService tenancyTenantService(TenantStore store, TenantConfigurationResolver resolver,
      ObjectProvider<TenantLifecycleListener> listeners, ObjectProvider<ProvisioningStep> steps,
      TenancyProperties properties) {
    TenantService.Builder builder = TenantService.builder().store(store).resolver(resolver)
        .retention(properties.getRetention());
    listeners.orderedStream().forEach(builder::listener);
    steps.orderedStream().forEach(builder::step);
    return builder.build();
  }

  /**
   * In-memory quota counters: right for one instance; several instances need a shared {@link QuotaStore} bean.
   *
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  public QuotaStore tenancyQuotaStore() {
    return new InMemoryQuotaStore();
  }

  /**
   * @param store the quota store
   * @param properties the bound properties
   * @param listeners every {@link QuotaAlertListener} bean, in order (threshold crossings reach them)
   * @return the quota manager, closed with the context so the last usage is saved
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public QuotaManager tenancyQuotaManager(QuotaStore store, TenancyProperties properties,
      ObjectProvider<QuotaAlertListener> listeners) {
    QuotaManager.Builder builder = QuotaManager.builder().store(store)
        .softThreshold(properties.getQuota().getSoftThreshold());
    listeners.orderedStream().forEach(builder::listener);
    String prefix = properties.getQuota().getKeyPrefix();
    if (prefix != null) {
      builder.keyPrefix(prefix);
    }
    return builder.build();
  }

  /**
   * The fallback audit sink when no JDBC sink was configured: records are lost on restart, so production
   * applications want a DataSource (or their own {@link AuditSink} bean).
   *
   * @return the sink
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "tenancy.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
  public AuditSink tenancyAuditSink() {
    return new InMemoryAuditSink();
  }

  /**
   * @param sink the audit sink
   * @return the audit log, closed with the context so queued records are written
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "tenancy.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
  public AuditLog tenancyAuditLog(AuditSink sink) {
    return AuditLog.builder().sink(sink).build();
  }

  /**
   * Carries the caller's tenant (and platform scope) into {@code @Async} tasks: Spring Boot applies a single
   * {@link TaskDecorator} bean to the executor it auto-configures.
   *
   * @return the decorator
   */
  @Bean
  @ConditionalOnMissingBean
  public TaskDecorator tenancyTaskDecorator() {
    return task -> ContextSnapshot.capture().wrap(task);
  }
}
