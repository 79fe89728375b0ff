package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.IdentityFixtures.platform;
import static dev.tenancy.core.identity.IdentityFixtures.tenant;
import static dev.tenancy.core.identity.IdentityFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  private final TenantInfo acme = tenant("acme", Map.of("roles.billing", "invoices:read,invoices:write"));
  private final TenantInfo globex = tenant("globex");
  private final IdentityFixtures.Trail trail = new IdentityFixtures.Trail();
  private final AccessControl access = AccessControl.builder().auditLog(trail.log).build();

  @AfterEach
  void closeTrail() {
    trail.close();
    assertThat(PrincipalContext.current()).as("no test leaves a principal behind").isEmpty();
    assertThat(TenantContext.current()).isEmpty();
  }

  private static void assertDenied(ThrowingCallable call, AccessDeniedException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(AccessDeniedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private void asUser(TenantInfo scope, TenantPrincipal principal, Runnable action) {
    try (TenantScope t = TenantContext.enter(scope); PrincipalScope p = access.enter(principal)) {
      action.run();
    }
  }

  // ---------------------------------------------------------------- tenant principals

  @Test
  void require_permissionOfARole_passesAndReturnsThePrincipal() {
    TenantPrincipal bob = user(acme, "bob", RoleCatalog.AGENT);

    asUser(acme, bob, () -> {
      assertThat(Permissions.require("leads:write")).isSameAs(bob);
      assertThat(Permissions.require("leads:read")).isSameAs(bob);
      assertThat(Permissions.isGranted("leads:write")).isTrue();
    });
  }

  @Test
  void require_missingPermission_deniedNamingItAndAudited() {
    TenantPrincipal vera = user(acme, "vera", RoleCatalog.VIEWER);

    asUser(acme, vera, () -> {
      assertThat(Permissions.isGranted("leads:write")).isFalse();
      assertThatThrownBy(() -> Permissions.require("leads:write"))
          .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
            assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_PERMISSION);
            assertThat(e.permission()).contains("leads:write");
          })
          .hasMessageContaining("leads:write");
    });

    assertThat(trail.events("access.denied")).singleElement().satisfies(event -> {
      assertThat(event.category()).isEqualTo(AuditCategory.SECURITY);
      assertThat(event.outcome()).isEqualTo(AuditOutcome.DENIED);
      assertThat(event.tenant()).isEqualTo(acme.id());
      assertThat(event.actor()).isEqualTo("vera");
      assertThat(event.resource()).isEqualTo("permission/leads:write");
      assertThat(event.details()).containsEntry("reason", "MISSING_PERMISSION");
    });
  }

  @Test
  void require_withoutPrincipal_denied() {
    try (TenantScope t = TenantContext.enter(acme)) {
      assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.NO_PRINCIPAL);
      assertThat(Permissions.isGranted("leads:read")).isFalse();
      assertDenied(PrincipalContext::require, AccessDeniedException.Reason.NO_PRINCIPAL);
    }
    assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.NO_PRINCIPAL);
  }

  @Test
  void require_tenantPrincipalWithoutTenantInScope_denied() {
    try (PrincipalScope p = access.enter(user(acme, "alice", RoleCatalog.TENANT_ADMIN))) {
      assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.NO_TENANT);
    }
  }

  @Test
  void require_principalOfAnotherTenant_deniedAsCrossTenantEvenForItsAdmin() {
    TenantPrincipal globexAdmin = user(globex, "gina", RoleCatalog.TENANT_ADMIN);

    asUser(acme, globexAdmin, () ->
        assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.CROSS_TENANT));

    assertThat(trail.events("access.denied")).singleElement().satisfies(event -> {
      assertThat(event.tenant()).as("on the caller's own trail").isEqualTo(globex.id());
      assertThat(event.details()).containsEntry("reason", "CROSS_TENANT")
          .containsEntry("targetTenant", acme.id().toString());
    });
  }

  @Test
  void require_tenantDefinedRole_passesInItsTenantOnly() {
    TenantPrincipal bill = user(acme, "bill", "billing");

    asUser(acme, bill, () -> {
      assertThat(Permissions.isGranted("invoices:write")).isTrue();
      assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.MISSING_PERMISSION);
    });
  }

  @Test
  void require_wildcardOrMalformed_refusedAsMisuse() {
    asUser(acme, user(acme, "alice", RoleCatalog.TENANT_ADMIN), () -> {
      assertThatThrownBy(() -> Permissions.require("leads:*")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Permissions.require("*:*")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Permissions.require("leads")).isInstanceOf(IllegalArgumentException.class);
    });
  }

  @Test
  void require_customCatalog_usedByItsAccessControl() {
    AccessControl custom = AccessControl.of(RoleCatalog.builder().role(RoleCatalog.VIEWER, "leads:read").build());
    try (TenantScope t = TenantContext.enter(acme);
        PrincipalScope p = custom.enter(user(acme, "vera", RoleCatalog.VIEWER))) {
      assertThat(Permissions.isGranted("leads:read")).isTrue();
      assertThat(Permissions.isGranted("invoices:read")).isFalse();
    }
  }

  // ---------------------------------------------------------------- platform principals

  @Test
  void require_platformPrincipalInsideAsPlatform_passes() throws Exception {
    TenantPrincipal ops = platform("ops@platform");

    try (PrincipalScope p = access.enter(ops)) {
      TenantPrincipal seen = TenantContext.asPlatform("ops@platform", "ticket 4711", acme,
          () -> Permissions.require("leads:write"));
      assertThat(seen).isSameAs(ops);
    }
  }

  @Test
  void require_platformPrincipalOutsideAsPlatform_denied() {
    try (PrincipalScope p = access.enter(platform("ops@platform"))) {
      assertDenied(() -> Permissions.require("leads:read"), AccessDeniedException.Reason.PLATFORM_ACCESS_REQUIRED);
      try (TenantScope t = TenantContext.enter(acme)) {
        assertDenied(() -> Permissions.require("leads:read"),
            AccessDeniedException.Reason.PLATFORM_ACCESS_REQUIRED);
      }
    }
    assertThat(trail.events("access.denied")).hasSize(2)
        .allSatisfy(event -> assertThat(event.tenant()).as("the platform's trail").isNull());
  }

  @Test
  void require_platformPrincipalInsideAnotherActorsPlatformAccess_denied() throws Exception {
    try (PrincipalScope p = access.enter(platform("mallory"))) {
      TenantContext.asPlatform("ops@platform", "ticket 4711", acme, () -> {
        assertDenied(() -> Permissions.require("leads:read"),
            AccessDeniedException.Reason.PLATFORM_ACCESS_REQUIRED);
        return null;
      });
    }
  }

  @Test
  void requirePlatform_passesForPlatformOnly() {
    try (PrincipalScope p = access.enter(platform("ops"))) {
      assertThat(Permissions.requirePlatform().subject()).isEqualTo("ops");
    }
    asUser(acme, user(acme, "alice", RoleCatalog.TENANT_ADMIN), () ->
        assertDenied(Permissions::requirePlatform, AccessDeniedException.Reason.PLATFORM_ONLY));
    assertDenied(Permissions::requirePlatform, AccessDeniedException.Reason.NO_PRINCIPAL);
  }

  // ---------------------------------------------------------------- the holder

  @Test
  void scopes_nestAndRestore() {
    TenantPrincipal outer = user(acme, "alice", RoleCatalog.TENANT_ADMIN);
    TenantPrincipal inner = user(acme, "vera", RoleCatalog.VIEWER);
    try (PrincipalScope a = access.enter(outer)) {
      try (PrincipalScope b = access.enter(inner)) {
        assertThat(PrincipalContext.require()).isSameAs(inner);
      }
      assertThat(PrincipalContext.require()).isSameAs(outer);
    }
    assertThat(PrincipalContext.current()).isEmpty();
  }

  @Test
  void close_outOfOrder_throwsAndClearsTheThread() {
    PrincipalScope outer = access.enter(user(acme, "alice", RoleCatalog.TENANT_ADMIN));
    PrincipalScope inner = access.enter(user(acme, "vera", RoleCatalog.VIEWER));

    assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
    assertThat(PrincipalContext.current()).isEmpty();
    assertThatCode(inner::close).doesNotThrowAnyException();
    assertThatCode(outer::close).doesNotThrowAnyException();
  }

  @Test
  void principal_isNotInheritedByAThreadStartedInsideTheScope() throws Exception {
    AtomicReference<Object> seen = new AtomicReference<>("not run");
    try (PrincipalScope p = access.enter(user(acme, "alice", RoleCatalog.TENANT_ADMIN))) {
      Thread child = new Thread(() -> seen.set(PrincipalContext.current()));
      child.start();
      child.join(10_000);
    }
    assertThat(seen.get()).isEqualTo(java.util.Optional.empty());
  }

  @Test
  void wrap_carriesThePrincipalToAPooledThreadAndLeavesItClean() throws Exception {
    TenantPrincipal alice = user(acme, "alice", RoleCatalog.TENANT_ADMIN);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      try (TenantScope t = TenantContext.enter(acme); PrincipalScope p = access.enter(alice)) {
        Runnable check = () -> Permissions.require("leads:write");
        task = PrincipalContext.wrap(TenantContext.wrap(check));
      }
      pool.submit(task).get(10, TimeUnit.SECONDS);
      assertThat(pool.submit(() -> PrincipalContext.current()).get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(pool.submit(() -> Permissions.isGranted("leads:read")).get(10, TimeUnit.SECONDS)).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void denialWithoutAuditLog_stillDenied() {
    AccessControl unaudited = AccessControl.of(RoleCatalog.builtIn());
    try (TenantScope t = TenantContext.enter(acme);
        PrincipalScope p = unaudited.enter(user(acme, "vera", RoleCatalog.VIEWER))) {
      assertDenied(() -> Permissions.require("leads:write"), AccessDeniedException.Reason.MISSING_PERMISSION);
    }
    assertThat(trail.events()).isEmpty();
  }

  @Test
  void checkGrant_refusal_audited() {
    TenantPrincipal admin = user(acme, "alice", RoleCatalog.TENANT_ADMIN);

    assertDenied(() -> access.checkGrant(admin, acme, java.util.Set.of(TenantPrincipal.PLATFORM_ADMIN)),
        AccessDeniedException.Reason.GRANT_REFUSED);

    AuditEvent event = trail.events("role.grant_refused").get(0);
    assertThat(event.tenant()).isEqualTo(acme.id());
    assertThat(event.actor()).isEqualTo("alice");
    assertThat(event.details()).containsEntry("roles", TenantPrincipal.PLATFORM_ADMIN);
  }
}
