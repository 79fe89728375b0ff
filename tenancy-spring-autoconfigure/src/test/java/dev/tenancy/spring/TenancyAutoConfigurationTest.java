package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.ProvisioningFailedException;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.TenantStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

class TenancyAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class));

  @Test
  void withoutDataSourceEverythingIsInMemoryAndTheServiceWorks() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(TenantService.class).hasSingleBean(QuotaManager.class)
          .hasSingleBean(AuditLog.class).hasSingleBean(TaskDecorator.class);
      assertThat(context.getBean(TenantStore.class)).isInstanceOf(InMemoryTenantStore.class);
      assertThat(context.getBean(QuotaStore.class)).isInstanceOf(InMemoryQuotaStore.class);
      assertThat(context.getBean(AuditSink.class)).isInstanceOf(InMemoryAuditSink.class);
      assertThat(context).doesNotHaveBean(TenantDataSourceWrapper.class);

      TenantService service = context.getBean(TenantService.class);
      Tenant created = service.create(NewTenant.of("acme", "Acme").withTier("pro"));
      assertThat(context.getBean(TenantStore.class).findById(created.id())).isPresent();
      assertThat(service.info(created).configuration().limit("apiCallsPerMonth")).hasValue(1_000_000L);
    });
  }

  /** Provisioning step beans make tenant creation all-or-nothing: no half-provisioned tenant stays behind. */
  @Test
  void provisioningStepBeansRunInOrderAndAFailingOneUndoesTheOthers() {
    List<String> calls = new CopyOnWriteArrayList<>();
    runner.withBean("schemaStep", ProvisioningStep.class, () -> new RecordingStep("schema", calls, false))
        .withBean("keyStep", ProvisioningStep.class, () -> new RecordingStep("key", calls, false))
        .run(context -> {
          TenantService service = context.getBean(TenantService.class);
          Tenant acme = service.create(NewTenant.of("acme", "Acme"));
          assertThat(calls).containsExactly("provision schema acme", "provision key acme");

          calls.clear();
          service.delete(acme.id(), true);
          assertThat(calls).containsExactly("deprovision key acme", "deprovision schema acme");
        });

    calls.clear();
    runner.withBean("schemaStep", ProvisioningStep.class, () -> new RecordingStep("schema", calls, false))
        .withBean("brokenStep", ProvisioningStep.class, () -> new RecordingStep("broken", calls, true))
        .run(context -> {
          TenantService service = context.getBean(TenantService.class);
          assertThatThrownBy(() -> service.create(NewTenant.of("acme", "Acme")))
              .isInstanceOf(ProvisioningFailedException.class);
          assertThat(calls).containsExactly("provision schema acme", "provision broken acme",
              "deprovision broken acme", "deprovision schema acme");
          assertThat(service.findBySlug(TenantSlug.of("acme"))).isEmpty();
        });
  }

  private record RecordingStep(String name, List<String> calls, boolean fails) implements ProvisioningStep {
    @Override
    public void provision(Tenant tenant) {
      calls.add("provision " + name + " " + tenant.slug());
      if (fails) {
        throw new IllegalStateException("injected failure in step " + name);
      }
    }

    @Override
    public void deprovision(Tenant tenant) {
      calls.add("deprovision " + name + " " + tenant.slug());
    }
  }

  @Test
  void tierPropertiesOverrideABuiltInTierAndAddNewOnes() {
    runner.withPropertyValues(
            "tenancy.tiers.pro.limits.apiCallsPerMonth=42",
            "tenancy.tiers.pro.features.sso=true",
            "tenancy.tiers.startup.limits.apiCallsPerMonth=7")
        .run(context -> {
          TierCatalog catalog = context.getBean(TierCatalog.class);
          assertThat(catalog.require("pro").limits()).containsExactlyEntriesOf(java.util.Map.of("apiCallsPerMonth", 42L));
          assertThat(catalog.require("pro").features()).containsEntry("sso", true);
          assertThat(catalog.require("startup").limits()).containsEntry("apiCallsPerMonth", 7L);
          assertThat(catalog.find("free")).as("untouched built-in tiers stay").isPresent();

          TenantService service = context.getBean(TenantService.class);
          Tenant created = service.create(NewTenant.of("tiny", "Tiny").withTier("startup"));
          assertThat(service.info(created).configuration().limit("apiCallsPerMonth")).hasValue(7L);
        });
  }

  @Test
  void builtInTiersCanBeSwitchedOff() {
    runner.withPropertyValues("tenancy.built-in-tiers=false", "tenancy.tiers.only.limits.apiCallsPerMonth=1")
        .run(context -> {
          TierCatalog catalog = context.getBean(TierCatalog.class);
          assertThat(catalog.tiers()).extracting(t -> t.name()).containsExactly("only");
        });
  }

  @Test
  void noTiersAtAllIsAStartupFailureThatSaysWhy() {
    runner.withPropertyValues("tenancy.built-in-tiers=false").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("at least one tier");
    });
  }

  @Test
  void userBeansReplaceEveryDefault() {
    runner.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(TierCatalog.class)).isSameAs(OwnBeans.CATALOG);
      assertThat(context.getBean(TenantStore.class)).isSameAs(OwnBeans.STORE);
      assertThat(context.getBean(QuotaStore.class)).isSameAs(OwnBeans.QUOTAS);
      assertThat(context.getBean(AuditSink.class)).isSameAs(OwnBeans.SINK);
      assertThat(context.getBean(TaskDecorator.class)).isSameAs(OwnBeans.DECORATOR);
      // Built from the replaced parts, not from in-memory defaults.
      Tenant created = context.getBean(TenantService.class).create(NewTenant.of("own", "Own"));
      assertThat(OwnBeans.STORE.findById(created.id())).isPresent();
    });
  }

  @Test
  void auditCanBeSwitchedOff() {
    runner.withPropertyValues("tenancy.audit.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(AuditLog.class).doesNotHaveBean(AuditSink.class);
    });
  }

  @Test
  void quotaPropertiesReachTheManager() {
    runner.withPropertyValues("tenancy.quota.soft-threshold=0.5").run(context ->
        assertThat(context.getBean(QuotaManager.class).toString()).contains("softThreshold=0.5"));
    runner.withPropertyValues("tenancy.quota.soft-threshold=1.5").run(context ->
        assertThat(context).hasFailed());
  }

  @Test
  void theTaskDecoratorCarriesTheCallersTenantAndNothingElse() throws Exception {
    runner.run(context -> {
      TaskDecorator decorator = context.getBean(TaskDecorator.class);
      TenantInfo acme = TenantInfo.of(TenantId.of(java.util.UUID.randomUUID()), TenantSlug.of("acme"));
      AtomicReference<Optional<TenantInfo>> seen = new AtomicReference<>();
      Runnable decorated;
      try (TenantScope ignored = TenantContext.enter(acme)) {
        decorated = decorator.decorate(() -> seen.set(TenantContext.current()));
      }
      Thread worker = new Thread(decorated);
      worker.start();
      worker.join();
      assertThat(seen.get()).contains(acme);

      Runnable undecorated = decorator.decorate(() -> seen.set(TenantContext.current()));
      Thread other = new Thread(undecorated);
      other.start();
      other.join();
      assertThat(seen.get()).as("a task submitted outside a tenant runs outside one").isEmpty();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final TierCatalog CATALOG = TierCatalog.builtIn();
    static final InMemoryTenantStore STORE = new InMemoryTenantStore();
    static final InMemoryQuotaStore QUOTAS = new InMemoryQuotaStore();
    static final InMemoryAuditSink SINK = new InMemoryAuditSink();
    static final TaskDecorator DECORATOR = task -> task;

    @Bean
    TierCatalog myCatalog() {
      return CATALOG;
    }

    @Bean
    TenantStore myStore() {
      return STORE;
    }

    @Bean
    QuotaStore myQuotas() {
      return QUOTAS;
    }

    @Bean
    AuditSink mySink() {
      return SINK;
    }

    @Bean
    TaskDecorator myDecorator() {
      return DECORATOR;
    }
  }
}
