package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.TenantHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenancyActuatorAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyAutoConfiguration.class,
          TenancyActuatorAutoConfiguration.class));

  @Test
  void noHealthCheckBeans_noIndicatorButTheInfoContributor() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(TenantHealthChecks.class)
          .doesNotHaveBean(TenancyHealthIndicator.class).hasSingleBean(TenancyInfoContributor.class);
    });
  }

  @Test
  void checks_unhealthyTenants_reportDownWithCountsAndTheFailingTenantsFirst() {
    runner.withUserConfiguration(SlugCheck.class).run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      tenants.create(NewTenant.of("fine", "Fine"));
      Tenant meh = tenants.create(NewTenant.of("meh", "Meh"));
      Tenant bad = tenants.create(NewTenant.of("bad", "Bad"));

      HealthIndicator indicator = context.getBean("tenancyHealthIndicator", HealthIndicator.class);
      Health health = indicator.health();

      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails()).containsEntry("checks", List.of("slug"))
          .containsEntry("tenants", Map.of("UP", 1, "DEGRADED", 1, "DOWN", 1))
          .containsEntry("unhealthyNotShown", 0);
      List<Map<String, Object>> unhealthy = unhealthy(health);
      assertThat(unhealthy).extracting(tenant -> tenant.get("slug")).containsExactly("bad", "meh");
      assertThat(unhealthy.get(0)).containsEntry("id", bad.id().toString()).containsEntry("status", "DOWN")
          .containsEntry("checks", Map.of("slug", Map.of("status", "DOWN", "detail", "bad tenant")));
      assertThat(unhealthy.get(1)).containsEntry("id", meh.id().toString());
    });
  }

  @Test
  void checks_onlyDegraded_reportsDegradedNotDown() {
    runner.withUserConfiguration(SlugCheck.class).run(context -> {
      context.getBean(TenantService.class).create(NewTenant.of("meh", "Meh"));
      Health health = context.getBean(TenancyHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(TenancyHealthIndicator.DEGRADED);
    });
  }

  @Test
  void checks_manyUnhealthyTenants_detailsAreCappedAndTheRestCounted() {
    runner.withUserConfiguration(SlugCheck.class).withPropertyValues("tenancy.health.max-details=5").run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      for (int i = 0; i < 12; i++) {
        tenants.create(NewTenant.of("bad-" + i, "Bad " + i));
      }
      Health health = context.getBean(TenancyHealthIndicator.class).health();
      assertThat(unhealthy(health)).hasSize(5);
      assertThat(health.getDetails()).containsEntry("unhealthyNotShown", 7)
          .containsEntry("tenants", Map.of("UP", 0, "DEGRADED", 0, "DOWN", 12));
    });
  }

  @Test
  void health_withinTimeToLive_reusesTheLastRun() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    TenantService tenants = TenantService.builder().store(new InMemoryTenantStore())
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none())).build();
    tenants.create(NewTenant.of("acme", "Acme"));
    TenantHealthChecks checks = TenantHealthChecks.builder().tenants(tenants).check(new TenantHealthCheck() {
      @Override
      public String name() {
        return "counting";
      }

      @Override
      public CheckResult check(Tenant tenant) {
        runs.incrementAndGet();
        return CheckResult.up("ok");
      }
    }).build();
    AtomicLong now = new AtomicLong();
    TenancyHealthIndicator indicator = new TenancyHealthIndicator(checks, 100, Duration.ofSeconds(60), now::get);

    indicator.health();
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    indicator.health();
    assertThat(runs).hasValue(1);

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    assertThat(runs).hasValue(2);
  }

  @Test
  void indicatorDisabledByManagementProperty_checksStayButNoIndicator() {
    runner.withUserConfiguration(SlugCheck.class).withPropertyValues("management.health.tenancy.enabled=false")
        .run(context -> assertThat(context).hasSingleBean(TenantHealthChecks.class)
            .doesNotHaveBean(TenancyHealthIndicator.class));
  }

  @Test
  void tenancyHealthDisabled_neitherIndicatorNorInfo() {
    runner.withUserConfiguration(SlugCheck.class).withPropertyValues("tenancy.health.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TenancyHealthIndicator.class)
            .doesNotHaveBean(TenancyInfoContributor.class).doesNotHaveBean(TenantHealthChecks.class));
  }

  @Test
  void withoutTheActuatorModules_neitherIndicatorNorInfo() {
    runner.withUserConfiguration(SlugCheck.class)
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class, InfoContributor.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TenancyHealthIndicator.class)
            .doesNotHaveBean(TenancyInfoContributor.class));
  }

  @Test
  void info_countsTenantsByStatusAndNamesTiersAndIsolation() {
    runner.run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      tenants.create(NewTenant.of("one", "One"));
      tenants.suspend(tenants.create(NewTenant.of("two", "Two")).id());
      Map<String, Object> tenancy = info(context.getBean(TenancyInfoContributor.class));
      assertThat(tenancy).containsEntry("isolation", "none");
      assertThat(tenancy.get("tiers")).asList().contains("free", "pro", "enterprise");
      @SuppressWarnings("unchecked")
      Map<String, Object> counts = (Map<String, Object>) tenancy.get("tenants");
      assertThat(counts).containsEntry("total", 2L);
      assertThat(counts.get("byStatus")).isEqualTo(Map.of("PROVISIONING", 0L, "TRIAL", 1L, "ACTIVE", 0L,
          "SUSPENDED", 1L, "CANCELLED", 0L, "DELETED", 0L));
    });
  }

  @Test
  void info_wrappedDataSource_namesTheStrategy() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
            TenancyActuatorAutoConfiguration.class))
        .withBean(DataSource.class, () -> {
          JdbcDataSource h2 = new JdbcDataSource();
          h2.setURL("jdbc:h2:mem:info-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
          return h2;
        })
        .withPropertyValues("tenancy.datasource.strategy=schema")
        .run(context -> assertThat(info(context.getBean(TenancyInfoContributor.class)))
            .containsEntry("isolation", "schema"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> unhealthy(Health health) {
    return (List<Map<String, Object>>) health.getDetails().get("unhealthy");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> info(InfoContributor contributor) {
    Info.Builder builder = new Info.Builder();
    contributor.contribute(builder);
    return (Map<String, Object>) builder.build().getDetails().get("tenancy");
  }

  /** DOWN for slugs starting with "bad", DEGRADED for "meh", else UP. */
  @Configuration(proxyBeanMethods = false)
  static class SlugCheck {
    @Bean
    TenantHealthCheck slugCheck() {
      return new TenantHealthCheck() {
        @Override
        public String name() {
          return "slug";
        }

        @Override
        public CheckResult check(Tenant tenant) {
          String slug = tenant.slug().value();
          return slug.startsWith("bad") ? CheckResult.down("bad tenant")
              : slug.equals("meh") ? CheckResult.degraded("needs a look") : CheckResult.up("fine");
        }
      };
    }
  }
}
