package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.IdentityFixtures.platform;
import static dev.tenancy.core.identity.IdentityFixtures.tenant;
import static dev.tenancy.core.identity.IdentityFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantInfo;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleCatalogTest {

  private final RoleCatalog catalog = RoleCatalog.builtIn();
  private final TenantInfo acme = tenant("acme", Map.of(
      "roles.billing", "invoices:read, invoices:write",
      "roles.key_admin", "api_keys:manage, roles:grant, leads:read",
      "roles.broken", "invoices:read, not a permission",
      "roles.agent", "*:*",
      "roles.platform_admin", "*:*"));
  private final TenantInfo globex = tenant("globex");

  private Set<Permission> permissions(String... values) {
    return java.util.Arrays.stream(values).map(Permission::parse).collect(java.util.stream.Collectors.toSet());
  }

  // ---------------------------------------------------------------- roles

  @Test
  void builtIns_grantWhatTheDocumentationSays() {
    var config = globex.configuration();

    assertThat(catalog.findRole(RoleCatalog.TENANT_ADMIN, config)).contains(permissions("*:*"));
    assertThat(catalog.findRole(RoleCatalog.AGENT, config)).contains(permissions("*:read", "*:write"));
    assertThat(catalog.findRole(RoleCatalog.VIEWER, config)).contains(permissions("*:read"));
  }

  @Test
  void builtIns_agentCannotManageKeysOrGrantRoles_viewerCannotWrite() {
    var config = globex.configuration();
    Set<Permission> agent = catalog.findRole(RoleCatalog.AGENT, config).orElseThrow();
    Set<Permission> viewer = catalog.findRole(RoleCatalog.VIEWER, config).orElseThrow();

    assertThat(RoleCatalog.allows(agent, Permission.parse("leads:write"))).isTrue();
    assertThat(RoleCatalog.allows(agent, RoleCatalog.MANAGE_API_KEYS)).isFalse();
    assertThat(RoleCatalog.allows(agent, RoleCatalog.GRANT_ROLES)).isFalse();
    assertThat(RoleCatalog.allows(viewer, Permission.parse("leads:read"))).isTrue();
    assertThat(RoleCatalog.allows(viewer, Permission.parse("leads:write"))).isFalse();
  }

  @Test
  void platformAdmin_isNoTenantRole_evenIfATenantDefinesIt() {
    assertThat(catalog.findRole(TenantPrincipal.PLATFORM_ADMIN, acme.configuration())).isEmpty();
    assertThat(catalog.isKnown(TenantPrincipal.PLATFORM_ADMIN, acme.configuration())).isFalse();
  }

  @Test
  void tenantDefinedRole_readFromSettings() {
    assertThat(catalog.findRole("billing", acme.configuration()))
        .contains(permissions("invoices:read", "invoices:write"));
    assertThat(catalog.findRole("billing", globex.configuration())).as("another tenant's role").isEmpty();
  }

  @Test
  void tenantDefinedRole_cannotRedefineABuiltIn() {
    assertThat(catalog.findRole(RoleCatalog.AGENT, acme.configuration()))
        .contains(permissions("*:read", "*:write"));
  }

  @Test
  void tenantDefinedRole_malformed_grantsNothingAndIsUnknown() {
    assertThat(catalog.findRole("broken", acme.configuration())).isEmpty();
    TenantPrincipal holder = user(acme, "eve", "broken");
    assertThat(catalog.permissionsOf(holder, acme.configuration())).isEmpty();
  }

  @Test
  void tenantDefinedRoles_turnedOff_areUnknown() {
    RoleCatalog strict = RoleCatalog.builder().tenantDefinedRoles(false).build();

    assertThat(strict.findRole("billing", acme.configuration())).isEmpty();
  }

  @Test
  void applicationRole_definedInCode_andBuiltInRedefined() {
    RoleCatalog custom = RoleCatalog.builder()
        .role("support", "tickets:read", "tickets:write", "leads:read")
        .role(RoleCatalog.VIEWER, "leads:read")
        .build();

    assertThat(custom.findRole("support", globex.configuration()))
        .contains(permissions("tickets:read", "tickets:write", "leads:read"));
    assertThat(custom.findRole(RoleCatalog.VIEWER, globex.configuration())).contains(permissions("leads:read"));
    assertThat(custom.applicationRoles()).containsKeys("support", RoleCatalog.TENANT_ADMIN, RoleCatalog.AGENT);
  }

  @Test
  void applicationRole_platformAdminOrInvalidName_refused() {
    assertThatThrownBy(() -> RoleCatalog.builder().role(TenantPrincipal.PLATFORM_ADMIN, "*:*"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("platform");
    assertThatThrownBy(() -> RoleCatalog.builder().role("Support", "tickets:read"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoleCatalog.builder().role("support", "tickets"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void permissionsOf_severalRoles_unionAndUnknownRolesGrantNothing() {
    TenantPrincipal mixed = user(acme, "mia", "viewer", "billing", "ghost");

    assertThat(catalog.permissionsOf(mixed, acme.configuration()))
        .containsExactlyInAnyOrderElementsOf(permissions("*:read", "invoices:read", "invoices:write"));
  }

  // ---------------------------------------------------------------- grant rules (attacks)

  @Test
  void checkGrant_tenantAdminGrantsPlatformAdmin_refused() {
    TenantPrincipal admin = user(acme, "alice", RoleCatalog.TENANT_ADMIN);

    assertThatThrownBy(() -> catalog.checkGrant(admin, acme, Set.of("agent", TenantPrincipal.PLATFORM_ADMIN)))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.GRANT_REFUSED))
        .hasMessageContaining(TenantPrincipal.PLATFORM_ADMIN);
  }

  @Test
  void checkGrant_platformGrantsPlatformAdminInsideATenant_refusedToo() {
    assertThatThrownBy(() -> catalog.checkGrant(platform("ops"), acme, Set.of(TenantPrincipal.PLATFORM_ADMIN)))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void checkGrant_unknownRole_refused() {
    TenantPrincipal admin = user(acme, "alice", RoleCatalog.TENANT_ADMIN);

    assertThatThrownBy(() -> catalog.checkGrant(admin, acme, Set.of("superuser")))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.GRANT_REFUSED))
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> catalog.checkGrant(admin, acme, Set.of("broken")))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> catalog.checkGrant(platform("ops"), acme, Set.of("superuser")))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void checkGrant_anotherTenantsRole_refused() {
    TenantPrincipal admin = user(globex, "gina", RoleCatalog.TENANT_ADMIN);

    assertThatThrownBy(() -> catalog.checkGrant(admin, globex, Set.of("billing")))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void checkGrant_adminOfAnotherTenant_refusedAsCrossTenant() {
    TenantPrincipal foreignAdmin = user(globex, "gina", RoleCatalog.TENANT_ADMIN);

    assertThatThrownBy(() -> catalog.checkGrant(foreignAdmin, acme, Set.of("viewer")))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.CROSS_TENANT));
  }

  @Test
  void checkGrant_agentWithoutRolesGrant_refused() {
    TenantPrincipal agent = user(acme, "bob", RoleCatalog.AGENT);

    assertThatThrownBy(() -> catalog.checkGrant(agent, acme, Set.of("viewer")))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_PERMISSION);
          assertThat(e.permission()).contains("roles:grant");
        });
  }

  @Test
  void checkGrant_moreThanTheGrantorHolds_refused() {
    TenantPrincipal keyAdmin = user(acme, "kim", "key_admin");

    assertThatCode(() -> catalog.checkGrant(keyAdmin, acme, Set.of())).doesNotThrowAnyException();
    assertThatThrownBy(() -> catalog.checkGrant(keyAdmin, acme, Set.of(RoleCatalog.TENANT_ADMIN)))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.GRANT_REFUSED);
          assertThat(e.permission()).contains("*:*");
        });
    assertThatThrownBy(() -> catalog.checkGrant(keyAdmin, acme, Set.of(RoleCatalog.VIEWER)))
        .as("*:read is more than leads:read").isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void checkGrant_tenantAdmin_grantsBuiltInAndTenantRoles() {
    TenantPrincipal admin = user(acme, "alice", RoleCatalog.TENANT_ADMIN);

    assertThatCode(() -> catalog.checkGrant(admin, acme, Set.of("tenant_admin", "agent", "viewer", "billing")))
        .doesNotThrowAnyException();
  }

  @Test
  void checkGrant_platform_grantsAnyTenantRole() {
    assertThatCode(() -> catalog.checkGrant(platform("ops"), acme, Set.of("tenant_admin", "billing")))
        .doesNotThrowAnyException();
  }
}
