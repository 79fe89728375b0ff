package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.lifecycle.LifecycleFixture;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Suspending, cancelling or purging a tenant through TenantService revokes its sessions for good. */
class TokenRevocationLifecycleTest {

  private final TokenFixtures f = new TokenFixtures();
  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private TenantService tenants;
  private final TenantTokenService tokens = TenantTokenService.builder()
      .issuer(TokenFixtures.ISSUER).audience(TokenFixtures.AUDIENCE)
      .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, TokenFixtures.SECRET))
      .tenants(id -> tenants.find(id).map(tenants::info))
      .clock(f.clock)
      .audit(f.audit)
      .build();

  {
    tenants = LifecycleFixture.service(store).listener(tokens.lifecycleListener()).build();
  }

  @AfterEach
  void closeAudit() {
    f.audit.close();
  }

  @Test
  void suspendThenReactivate_oldSessionsStayRevoked_newOnesWork() {
    Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
    String session = issue(acme.id());
    assertThat(tokens.verify(session).tenant()).isEqualTo(acme.id());

    tenants.suspend(acme.id());
    assertReason(session, InvalidTokenReason.TENANT_NOT_SERVING);

    tenants.activate(acme.id());
    assertReason(session, InvalidTokenReason.TENANT_SESSIONS_REVOKED);
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(issue(acme.id())).tenant()).isEqualTo(acme.id());
    assertThat(f.events()).filteredOn(e -> e.action().equals("auth.sessions_revoked"))
        .extracting(e -> e.details().get("why")).containsExactly("suspended");
  }

  @Test
  void deleteAndPurge_revokeTheSessions() {
    Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
    Tenant globex = tenants.create(NewTenant.of("globex", "Globex"));

    tenants.delete(acme.id(), false);
    tenants.delete(globex.id(), true);

    assertThat(f.events()).filteredOn(e -> e.action().equals("auth.sessions_revoked"))
        .extracting(AuditEvent::tenant).contains(acme.id(), globex.id());
  }

  @Test
  void otherTenants_areUntouched() {
    Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
    Tenant globex = tenants.create(NewTenant.of("globex", "Globex"));
    String globexSession = issue(globex.id());

    tenants.suspend(acme.id());

    assertThat(tokens.verify(globexSession).tenant()).isEqualTo(globex.id());
  }

  private String issue(TenantId tenant) {
    return tokens.issue(new TenantPrincipal(tenant, "user-1", Set.of("agent"), PrincipalKind.USER, null, null, null),
        Duration.ofMinutes(15));
  }

  private void assertReason(String token, InvalidTokenReason reason) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
