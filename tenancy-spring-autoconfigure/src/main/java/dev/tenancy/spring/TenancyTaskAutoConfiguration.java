package dev.tenancy.spring;

import dev.tenancy.core.lifecycle.TenantService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Per-tenant jobs: the {@link TenantJobs} bean that a {@code @Scheduled} method calls to do its work once in each
 * serving tenant's scope.
 *
 * <p>Nothing is needed here for the scheduler itself: Spring Boot 4 hands the single {@code TaskDecorator} bean
 * (ours from {@link TenancyAutoConfiguration}, unless the application has its own) to both the
 * {@code ThreadPoolTaskSchedulerBuilder} and the {@code SimpleAsyncTaskSchedulerBuilder} it auto-configures, as it
 * does for the {@code @Async} executor; the scheduler decorates each task when it is scheduled, so a task scheduled
 * from inside a tenant scope runs in that scope, and {@code @Scheduled} methods (registered at start-up, outside any
 * scope) run with none.
 */
@AutoConfiguration(after = TenancyAutoConfiguration.class)
@EnableConfigurationProperties(TenancyProperties.class)
public final class TenancyTaskAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyTaskAutoConfiguration() {
  }

  /**
   * @param tenants the tenant service
   * @param properties the bound properties ({@code tenancy.jobs.parallelism})
   * @return the per-tenant job runner
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(TenantService.class)
  public TenantJobs tenancyTenantJobs(TenantService tenants, TenancyProperties properties) {
    return new TenantJobs(tenants, properties.getJobs().getParallelism());
  }
}
