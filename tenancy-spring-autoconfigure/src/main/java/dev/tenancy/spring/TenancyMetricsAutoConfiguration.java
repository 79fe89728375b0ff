package dev.tenancy.spring;

import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.quota.QuotaAlertListener;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Alerts and per-tenant request metrics: an {@link AlertCenter} (quota thresholds, SLA breaches, the admin API's
 * alert list), a {@link QuotaAlertListener} bean that sends quota threshold crossings to the alert center and the
 * tenant's audit trail, and, with tenancy-servlet and Micrometer on the class path, a {@link MicrometerTenantMetrics}
 * (the filter's recorder and the admin API's view) on the application's {@link MeterRegistry}.
 */
@AutoConfiguration(after = TenancyAutoConfiguration.class)
@EnableConfigurationProperties(TenancyProperties.class)
public final class TenancyMetricsAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(TenancyMetricsAutoConfiguration.class);

  /** Creates the configuration (used by Spring). */
  public TenancyMetricsAutoConfiguration() {
  }

  /**
   * @return the alert center with the library's defaults
   */
  @Bean
  @ConditionalOnMissingBean
  public AlertCenter tenancyAlertCenter() {
    return AlertCenter.builder().build();
  }

  /**
   * Quota threshold crossings (80, 90, 100 %) to the dashboard's alerts and into the tenant's audit trail, as the
   * hand-wired example does. The quota manager picks up {@link QuotaAlertListener} beans.
   *
   * @param alerts the alert center, if any
   * @param audit the audit log, if any
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyQuotaAlertListener")
  public QuotaAlertListener tenancyQuotaAlertListener(ObjectProvider<AlertCenter> alerts,
      ObjectProvider<AuditLog> audit) {
    return alert -> {
      // Observers: one failing must neither stop the other nor fail the request that crossed the threshold.
      alerts.ifUnique(center -> notify("alert center", () -> center.quotaAlertListener().onAlert(alert)));
      audit.ifUnique(log -> notify("audit log", () -> log.quotaAlertListener().onAlert(alert)));
    };
  }

  private static void notify(String target, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("A quota alert could not be passed to the {}", target, e);
    }
  }

  /** Micrometer meters per tenant, when the servlet module (which holds the recorder) is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MicrometerTenantMetrics.class, MeterRegistry.class})
  @ConditionalOnProperty(prefix = "tenancy.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
  static final class Micrometer {

    /**
     * @param registries the application's meter registry (Spring Boot's when Actuator is present), if any
     * @param alerts the alert center that SLA breaches are raised in, if any
     * @param properties the bound properties
     * @return the metrics; on a private {@link SimpleMeterRegistry} when the application has no registry, so the
     *     admin API still reads per-tenant figures
     */
    @Bean
    @ConditionalOnMissingBean({TenantMetricsRecorder.class, TenantMetricsView.class})
    MicrometerTenantMetrics tenancyTenantMetrics(ObjectProvider<MeterRegistry> registries,
        ObjectProvider<AlertCenter> alerts, TenancyProperties properties) {
      MeterRegistry registry = registries.getIfUnique(SimpleMeterRegistry::new);
      MicrometerTenantMetrics.Builder builder = MicrometerTenantMetrics.builder().registry(registry)
          .taggedTenants(properties.getMetrics().getTaggedTenants());
      alerts.ifUnique(builder::alerts);
      return builder.build();
    }
  }
}
