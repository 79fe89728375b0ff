package dev.tenancy.spring;

import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantHealthCheck;
import java.util.Locale;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Actuator: the {@code tenancy} health indicator over the application's {@link TenantHealthCheck} beans, and the
 * {@code tenancy} info contributor. Each needs its Spring Boot module on the class path (spring-boot-health,
 * spring-boot-actuator); {@code tenancy.health.enabled=false} turns both off, and
 * {@code management.health.tenancy.enabled=false} the indicator alone.
 */
@AutoConfiguration(after = {TenancyAutoConfiguration.class, TenancyJdbcAutoConfiguration.class})
@ConditionalOnProperty(prefix = "tenancy.health", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TenancyProperties.class)
public final class TenancyActuatorAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyActuatorAutoConfiguration() {
  }

  /** The runner of the application's checks. */
  @Configuration(proxyBeanMethods = false)
  static class HealthChecksConfiguration {

    /**
     * The checks the admin API and a platform verification run, from every {@link TenantHealthCheck} bean in order.
     *
     * @param tenants the tenant service
     * @param checks the check beans, at least one
     * @return the runner
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({TenantService.class, TenantHealthCheck.class})
    TenantHealthChecks tenancyTenantHealthChecks(TenantService tenants,
        ObjectProvider<TenantHealthCheck> checks) {
      TenantHealthChecks.Builder builder = TenantHealthChecks.builder().tenants(tenants);
      checks.orderedStream().forEach(builder::check);
      return builder.build();
    }
  }

  /** The {@code tenancy} health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
  static class HealthIndicatorConfiguration {

    /**
     * @param checks the checks
     * @param properties {@code tenancy.health.*}
     * @return the indicator, named so that Actuator shows it as {@code tenancy}
     */
    @Bean
    @ConditionalOnMissingBean(name = "tenancyHealthIndicator")
    @Conditional(OnHealthChecks.class)
    @ConditionalOnEnabledHealthIndicator("tenancy")
    TenancyHealthIndicator tenancyHealthIndicator(TenantHealthChecks checks, TenancyProperties properties) {
      return new TenancyHealthIndicator(checks, properties.getHealth().getMaxDetails(),
          properties.getHealth().getTimeToLive());
    }
  }

  /** The {@code tenancy} info contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(InfoContributor.class)
  static class InfoContributorConfiguration {

    /**
     * @param tenants the tenant service
     * @param tiers the tier catalog
     * @param properties {@code tenancy.datasource.*}, for the isolation strategy
     * @param beans to tell whether the DataSource is wrapped
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "tenancyInfoContributor")
    @ConditionalOnBean({TenantService.class, TierCatalog.class})
    TenancyInfoContributor tenancyInfoContributor(TenantService tenants, TierCatalog tiers,
        TenancyProperties properties, ListableBeanFactory beans) {
      String isolation = Wrapping.isWrapped(beans)
          ? properties.getDatasource().getStrategy().name().toLowerCase(Locale.ROOT) : "none";
      return new TenancyInfoContributor(tenants, tiers, isolation);
    }
  }

  /**
   * There is (or will be) a {@link TenantHealthChecks} bean: the application's own, or ours from its check beans.
   * Asking for {@code TenantHealthChecks} alone would not do: Spring evaluates nested configurations in no order we
   * control, so ours may not be registered yet.
   */
  static final class OnHealthChecks extends AnyNestedCondition {
    OnHealthChecks() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(TenantHealthCheck.class)
    static final class CheckBeans {
    }

    @ConditionalOnBean(TenantHealthChecks.class)
    static final class OwnRunner {
    }
  }

  /** Kept apart so that TenantDataSourceWrapper (which needs tenancy-jdbc) is only loaded when tenancy-jdbc is there. */
  private static final class Wrapping {
    static boolean isWrapped(ListableBeanFactory beans) {
      return ClassUtils.isPresent("dev.tenancy.jdbc.TenantAwareDataSource", Wrapping.class.getClassLoader())
          && beans.getBeanNamesForType(TenantDataSourceWrapper.class, false, false).length > 0;
    }
  }
}
