package dev.tenancy.examples.quickstart;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Features;
import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.cache.TenantScopedCache;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.task.TenantTasks;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start as a program: provisions two agencies, works inside their scopes, hands work to a pool,
 * and shows that nothing runs without a tenant.
 */
public final class QuickStart {

  private QuickStart() {
  }

  /**
   * Runs the tour and prints what happens.
   *
   * @param args ignored
   * @throws Exception if the tour fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    TenantService tenants = TenantService.builder()
        .store(new InMemoryTenantStore())
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.fromSystemEnvironment()))
        .step(new AnnouncingStep(out))
        .listener(event -> out.printf("  event %-28s %s%n", event.type(), event.tenant().slug()))
        .build();

    out.println("1. Provisioning two agencies");
    Tenant acme = tenants.create(NewTenant.of("acme-realty", "Acme Realty").withTier("pro"));
    Tenant globex = tenants.create(NewTenant.of("globex-homes", "Globex Homes"));

    out.println("2. Working inside a tenant scope");
    TenantScopedCache<String, String> greetings = TenantScopedCache.<String, String>builder().maximumSize(1_000).build();
    ExecutorService pool = TenantContext.wrap(Executors.newFixedThreadPool(2));
    for (Tenant tenant : List.of(acme, globex)) {
      TenantInfo info = tenants.info(tenant);
      try (TenantScope scope = TenantContext.enter(info)) {
        String greeting = greetings.get("greeting", key -> "Welcome to " + tenant.displayName());
        String onPool = pool.submit(() -> TenantContext.require().slug().value()).get(10, TimeUnit.SECONDS);
        out.printf("  %-13s tier=%-5s leadScoring=%-5b cached=\"%s\" pool-thread-saw=%s%n", tenant.slug(),
            info.configuration().tier(), Features.isEnabled("leadScoring"), greeting, onPool);
      }
    }
    pool.shutdown();

    out.println("3. Outside any scope there is no tenant, and no default");
    try {
      TenantContext.require();
    } catch (NoTenantException e) {
      out.println("  NoTenantException: " + e.getMessage().substring(0, 60) + "...");
    }

    out.println("4. A nightly job once per tenant, each in its own scope");
    List<TenantInfo> serving = tenants.list(TenantQuery.all()).items().stream()
        .filter(t -> t.status().isServing()).map(tenants::info).toList();
    TenantTasks.forEachTenant(serving, 2, info -> out.println("  digest for " + TenantContext.require().slug()))
        .throwIfAnyFailed();

    out.println("5. Suspending globex-homes");
    Tenant suspended = tenants.suspend(globex.id());
    out.println("  globex-homes is now " + suspended.status() + " (serving: " + suspended.status().isServing() + ")");
    out.println("Done.");
  }

  /** A provisioning step that only says what it would create. */
  private static final class AnnouncingStep implements ProvisioningStep {
    private final PrintStream out;

    AnnouncingStep(PrintStream out) {
      this.out = out;
    }

    @Override
    public String name() {
      return "announce";
    }

    @Override
    public void provision(Tenant tenant) {
      out.println("  step 'announce': would create resources for " + TenantContext.require().slug());
    }

    @Override
    public void deprovision(Tenant tenant) {
      out.println("  step 'announce': would remove resources of " + tenant.slug());
    }
  }
}
