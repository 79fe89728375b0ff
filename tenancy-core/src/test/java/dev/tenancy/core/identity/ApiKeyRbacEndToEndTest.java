package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.LifecycleFixture;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.lifecycle.TenantUpdate;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The documented flow over real services: a tenant defines a role in its settings, its admin issues a key with it,
 * the key authenticates, and the principal's permissions are checked inside the tenant's scope — until the tenant is
 * suspended.
 */
class ApiKeyRbacEndToEndTest {

  private final TenantService tenants = LifecycleFixture.service(new InMemoryTenantStore()).build();
  private final ApiKeyService keys = ApiKeyService.builder()
      .store(new InMemoryApiKeyStore())
      .tenants(tenants)
      .build();
  private final AccessControl access = AccessControl.of(RoleCatalog.builtIn());

  @Test
  void tenantDefinedRole_issuedToAKey_checkedInsideTheTenant_refusedOnceSuspended() {
    Tenant acme = tenants.create(NewTenant.of("acme", "Acme Realty")
        .withSettings(Map.of("roles.billing", "invoices:read, invoices:write")));
    Tenant globex = tenants.create(NewTenant.of("globex", "Globex"));
    IssuedApiKey adminKey = keys.createPlatformKey("root", "bootstrap", null);
    TenantPrincipal root = keys.authenticate(adminKey.secret());
    TenantPrincipal acmeAdmin = keys.authenticate(keys.create(root,
        NewApiKey.of(acme.id(), "alice", Set.of(RoleCatalog.TENANT_ADMIN))).secret());

    IssuedApiKey billingKey = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "billing-bot", Set.of("billing")));
    TenantPrincipal bot = keys.authenticate(billingKey.secret());

    try (TenantScope scope = TenantContext.enter(tenants.info(tenants.require("acme")));
        PrincipalScope caller = access.enter(bot)) {
      assertThat(Permissions.require("invoices:write")).isSameAs(bot);
      assertThatThrownBy(() -> Permissions.require("leads:read")).isInstanceOf(AccessDeniedException.class);
    }
    try (TenantScope scope = TenantContext.enter(tenants.info(globex));
        PrincipalScope caller = access.enter(bot)) {
      assertThatThrownBy(() -> Permissions.require("invoices:read"))
          .isInstanceOfSatisfying(AccessDeniedException.class,
              e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.CROSS_TENANT));
    }
    assertThatThrownBy(() -> keys.create(acmeAdmin, NewApiKey.of(acme.id(), "eve",
        Set.of(TenantPrincipal.PLATFORM_ADMIN)))).isInstanceOf(AccessDeniedException.class);

    tenants.suspend(acme.id());
    assertThatThrownBy(() -> keys.authenticate(billingKey.secret()))
        .isInstanceOfSatisfying(InvalidApiKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidApiKeyException.Reason.TENANT_NOT_SERVING));
    assertThat(tenants.require("acme").status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void tenantRoleRemovedFromTheSettings_grantsNothingAnyMore() {
    Tenant acme = tenants.create(NewTenant.of("acme", "Acme Realty").withInitialStatus(TenantStatus.ACTIVE)
        .withSettings(Map.of("roles.billing", "invoices:read")));
    TenantPrincipal root = keys.authenticate(keys.createPlatformKey("root", "bootstrap", null).secret());
    TenantPrincipal bot = keys.authenticate(keys.create(root,
        NewApiKey.of(acme.id(), "billing-bot", Set.of("billing"))).secret());

    tenants.update(acme.id(), TenantUpdate.none().withSettings(Map.of()));

    try (TenantScope scope = TenantContext.enter(tenants.info(tenants.require("acme")));
        PrincipalScope caller = access.enter(bot)) {
      assertThat(Permissions.isGranted("invoices:read")).isFalse();
    }
  }
}
