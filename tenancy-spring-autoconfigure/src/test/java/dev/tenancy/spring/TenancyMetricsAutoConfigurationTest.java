package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.quota.QuotaAlert;
import dev.tenancy.core.quota.QuotaAlertListener;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TenancyMetricsAutoConfigurationTest {

  private static final AutoConfigurations ALL = AutoConfigurations.of(TenancyJdbcAutoConfiguration.class,
      TenancyAutoConfiguration.class, TenancyIdentityAutoConfiguration.class, TenancyMetricsAutoConfiguration.class,
      TenancyServletAutoConfiguration.class);

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL);

  @Test
  void metricsAndAlertsExistWithoutAnApplicationRegistry() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AlertCenter.class)
          .hasSingleBean(MicrometerTenantMetrics.class).hasBean("tenancyQuotaAlertListener");
      assertThat(context).doesNotHaveBean(MeterRegistry.class);
      // The same object is the filter's recorder and the admin API's view.
      assertThat(context.getBean(TenantMetricsRecorder.class)).isSameAs(context.getBean(TenantMetricsView.class));
    });
  }

  @Test
  void metricsGoToTheApplicationsMeterRegistryWithTheConfiguredTagLimit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner.withBean(MeterRegistry.class, () -> registry).withPropertyValues("tenancy.metrics.tagged-tenants=1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          TenantService tenants = context.getBean(TenantService.class);
          Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
          Tenant globex = tenants.create(NewTenant.of("globex", "Globex"));
          MicrometerTenantMetrics metrics = context.getBean(MicrometerTenantMetrics.class);
          metrics.recordRequest(tenants.info(acme), 200, 1_000_000);
          metrics.recordRequest(tenants.info(globex), 200, 1_000_000);

          assertThat(registry.get("tenancy.requests").tag("tenant", "acme").counter().count()).isEqualTo(1);
          // Only one tenant gets its own tag: the second is counted under "other".
          assertThat(registry.find("tenancy.requests").tag("tenant", "globex").counter()).isNull();
          assertThat(registry.get("tenancy.requests").tag("tenant", MicrometerTenantMetrics.OTHER).counter().count())
              .isEqualTo(1);
        });
  }

  @Test
  void switchedOffByPropertyButAlertsStay() {
    runner.withPropertyValues("tenancy.metrics.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerTenantMetrics.class)
            .hasSingleBean(AlertCenter.class));
  }

  @Test
  void withoutTheServletModuleThereAreAlertsButNoMicrometerMetrics() {
    runner.withClassLoader(new FilteredClassLoader(MicrometerTenantMetrics.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerTenantMetrics.class)
            .hasSingleBean(AlertCenter.class));
  }

  @Test
  void aUserRecorderOrAlertCenterWins() {
    AlertCenter mine = AlertCenter.builder().build();
    TenantMetricsRecorder recorder = new TenantMetricsRecorder() {
      @Override
      public void recordRequest(dev.tenancy.core.TenantId tenant, int status, long latencyNanos) {
      }

      @Override
      public void recordThrottled(dev.tenancy.core.TenantId tenant, QuotaResource resource) {
      }
    };
    runner.withBean(AlertCenter.class, () -> mine).withBean(TenantMetricsRecorder.class, () -> recorder)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerTenantMetrics.class);
          assertThat(context.getBean(AlertCenter.class)).isSameAs(mine);
        });
  }

  @Test
  void quotaAlertsReachTheAlertCenterAndTheAuditTrail() {
    runner.run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
      QuotaAlertListener listener = context.getBean("tenancyQuotaAlertListener", QuotaAlertListener.class);

      listener.onAlert(new QuotaAlert(acme.id(), acme.slug(), QuotaResource.API_CALLS, 90, 900, 1000,
          YearMonth.now(), Instant.now()));

      assertThat(context.getBean(AlertCenter.class).open(acme.id())).singleElement()
          .extracting(alert -> alert.kind()).isEqualTo(AlertKind.QUOTA);
      context.getBean(AuditLog.class).flush();
      InMemoryAuditSink sink = (InMemoryAuditSink) context.getBean(AuditSink.class);
      List<String> actions = sink.chains().stream()
          .flatMap(chain -> sink.read(chain, 0, Long.MAX_VALUE))
          .map(record -> record.event().action()).toList();
      assertThat(actions).contains("quota.threshold_crossed");
    });
  }

  /** The filter records each request it serves into the metrics bean, tagged with the tenant's slug. */
  @Test
  void theFilterRecordsRequestsIntoTheMetrics() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new WebApplicationContextRunner().withConfiguration(ALL).withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues("tenancy.tokens.secret=" + TenancyIdentityAutoConfigurationTest.SECRET)
        .run(context -> {
          assertThat(context).hasNotFailed();
          TenantService tenants = context.getBean(TenantService.class);
          Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
          String token = context.getBean(TenantTokenService.class)
              .issue(TenancyIdentityAutoConfigurationTest.user(acme), Duration.ofMinutes(5));

          MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/leads");
          request.addHeader("Authorization", "Bearer " + token);
          MockHttpServletResponse response = new MockHttpServletResponse();
          MockFilterChain chain = new MockFilterChain();
          context.getBean(TenantFilter.class).doFilter(request, response, chain);

          assertThat(chain.getRequest()).as("the request reached the application").isNotNull();
          assertThat(response.getStatus()).isEqualTo(200);
          Counter requests = registry.get("tenancy.requests").tag("tenant", "acme").counter();
          assertThat(requests.count()).isEqualTo(1);
        });
  }
}
