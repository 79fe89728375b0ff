package dev.tenancy.core.health;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.spi.TenantHealthCheck;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Tenants and small checks for the health tests. */
final class HealthFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private HealthFixtures() {
  }

  static Tenant tenant(String slug) {
    return tenant(slug, TenantStatus.ACTIVE);
  }

  static Tenant tenant(String slug, TenantStatus status) {
    return new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug, status,
        TenantConfiguration.ofTier("free"), T0, T0, 0, null);
  }

  /** A check answering with a function of the tenant, without a platform-wide form. */
  static TenantHealthCheck check(String name, Function<Tenant, CheckResult> answer) {
    return new TenantHealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check(Tenant tenant) {
        return answer.apply(tenant);
      }
    };
  }

  /** A check with a platform-wide form. */
  static TenantHealthCheck platformCheck(String name, CheckResult tenantResult,
      Function<List<Tenant>, CheckResult> platform) {
    return new TenantHealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check(Tenant tenant) {
        return tenantResult;
      }

      @Override
      public Optional<CheckResult> checkPlatform(List<Tenant> tenants) {
        return Optional.of(platform.apply(tenants));
      }
    };
  }
}
