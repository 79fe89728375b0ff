package dev.tenancy.spring;

import dev.tenancy.jdbc.TenantAwareDataSource;
import javax.sql.DataSource;
import org.hibernate.cfg.MultiTenancySettings;
import org.hibernate.engine.jdbc.connections.spi.MultiTenantConnectionProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * With Hibernate and Spring Boot's Hibernate module on the class path and the DataSource wrapped: Hibernate's
 * multi-tenancy switched on, with the tenant from {@code TenantContext} ({@link TenantContextIdentifierResolver})
 * and connections from the tenant-aware DataSource ({@link TenantAwareConnectionProvider}). Runs before Spring
 * Boot's JPA configuration, which applies every {@link HibernatePropertiesCustomizer} bean.
 */
@AutoConfiguration(after = TenancyJdbcAutoConfiguration.class,
    beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({HibernatePropertiesCustomizer.class, MultiTenantConnectionProvider.class,
    TenantAwareDataSource.class})
@ConditionalOnBean(TenantDataSourceWrapper.class)
@ConditionalOnSingleCandidate(DataSource.class)
public final class TenancyHibernateAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyHibernateAutoConfiguration() {
  }

  /**
   * @param dataSource the application's (wrapped) DataSource
   * @param wrapper the wrapper, to reach the pool beneath for Hibernate's start-up work
   * @return the customizer that sets Hibernate's multi-tenancy settings
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyHibernatePropertiesCustomizer")
  public HibernatePropertiesCustomizer tenancyHibernatePropertiesCustomizer(DataSource dataSource,
      TenantDataSourceWrapper wrapper) {
    TenantContextIdentifierResolver resolver = new TenantContextIdentifierResolver();
    TenantAwareConnectionProvider connections = new TenantAwareConnectionProvider(dataSource,
        wrapper.poolOf(dataSource));
    return properties -> {
      properties.put(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER, resolver);
      properties.put(MultiTenancySettings.MULTI_TENANT_CONNECTION_PROVIDER, connections);
    };
  }
}
