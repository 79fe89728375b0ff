package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.SsoFixtures.ACME_IDP;
import static dev.tenancy.core.identity.SsoFixtures.GLOBEX_IDP;
import static dev.tenancy.core.identity.SsoFixtures.acmeEs;
import static dev.tenancy.core.identity.SsoFixtures.acmeRs;
import static dev.tenancy.core.identity.SsoFixtures.globexRs;
import static dev.tenancy.core.identity.SsoFixtures.idpToken;
import static dev.tenancy.core.identity.SsoFixtures.withTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant SSO against real JWKS endpoints on 127.0.0.1: each tenant's identity provider can make its users act in
 * that tenant, and never in another one, nor as the platform.
 */
class SsoTokenIT {

  private final TokenFixtures f = new TokenFixtures();
  private final JwksServer acmeIdp = new JwksServer();
  private final JwksServer globexIdp = new JwksServer();
  private final SsoIssuerRegistry sso = new SsoIssuerRegistry();
  private final TenantTokenService tokens;

  SsoTokenIT() throws IOException {
    acmeIdp.publish(SsoFixtures.acmeJwk("k1"), SsoFixtures.acmeEcJwk("e1"));
    globexIdp.publish(SsoFixtures.globexJwk("k1"));
    sso.register(new SsoIssuer(f.acme, ACME_IDP, acmeIdp.uri(), "tenancy-app"));
    sso.register(new SsoIssuer(f.globex, GLOBEX_IDP, globexIdp.uri(), "tenancy-app"));
    tokens = f.service().ssoIssuers(sso).allowPlainHttpJwks(true).build();
  }

  @AfterEach
  void stop() {
    acmeIdp.close();
    globexIdp.close();
    f.audit.close();
  }

  @Test
  void ssoToken_actsInTheTenantItsIssuerIsBoundTo() {
    TenantPrincipal alice = tokens.verify(idpToken(f, ACME_IDP, "k1").sign(acmeRs()));

    assertThat(alice.tenant()).isEqualTo(f.acme);
    assertThat(alice.kind()).isEqualTo(PrincipalKind.USER);
    assertThat(alice.issuer()).isEqualTo(ACME_IDP);
    assertThat(alice.roles()).containsExactly("agent");
    assertThat(tokens.verify(idpToken(f, ACME_IDP, "e1").sign(acmeEs())).tenant()).isEqualTo(f.acme);
    assertThat(tokens.verify(idpToken(f, GLOBEX_IDP, "k1").sign(globexRs())).tenant()).isEqualTo(f.globex);
  }

  @Test
  void ssoToken_whoseOrgIdConfirmsTheBinding_isAccepted() {
    assertThat(tokens.verify(withTenant(idpToken(f, ACME_IDP, "k1"), f.acme, acmeRs())).tenant()).isEqualTo(f.acme);
  }

  @Test
  void tokenOfTenantAsIssuer_claimingTenantB_isRefused_andAuditedInBothChains() {
    String token = withTenant(idpToken(f, ACME_IDP, "k1"), f.globex, acmeRs());

    InvalidTokenException refused = refuse(token, InvalidTokenReason.CROSS_TENANT);

    assertThat(refused.findTenant()).contains(f.acme);
    List<AuditEvent> events = f.events();
    assertThat(events).hasSize(2).allSatisfy(event -> {
      assertThat(event.action()).isEqualTo("auth.cross_tenant_attempt");
      assertThat(event.category()).isEqualTo(AuditCategory.SECURITY);
      assertThat(event.outcome()).isEqualTo(AuditOutcome.DENIED);
      assertThat(event.details()).containsEntry("reason", "cross_tenant")
          .containsEntry("tenant", f.acme.toString()).containsEntry("claimedTenant", f.globex.toString());
    });
    assertThat(events).extracting(AuditEvent::tenant).containsExactlyInAnyOrder(f.acme, f.globex);
    f.assertNoTokenIn(events, token);
  }

  @Test
  void tokenSignedByTenantBsKey_underTenantAsIssuer_isRefused() {
    // Both providers use kid "k1": keys are looked up per issuer, so globex's key never verifies acme's tokens.
    refuse(withTenant(idpToken(f, ACME_IDP, "k1"), f.acme, globexRs()), InvalidTokenReason.BAD_SIGNATURE);
  }

  @Test
  void ssoToken_claimingThePlatformRole_isRefused() {
    refuse(idpToken(f, ACME_IDP, "k1").withArrayClaim("roles", new String[] {"platform_admin"}).sign(acmeRs()),
        InvalidTokenReason.FORBIDDEN_ROLE);
  }

  @Test
  void ssoToken_underOurOwnIssuer_isRefused() {
    refuse(idpToken(f, TokenFixtures.ISSUER, "k1").withAudience(TokenFixtures.AUDIENCE).withJWTId("j")
        .withClaim("org_id", f.acme.toString()).sign(acmeRs()), InvalidTokenReason.UNKNOWN_KEY);
  }

  @Test
  void ssoToken_withoutKid_orWithAlgorithmConfusion_orForAnotherAudience_isRefused() {
    refuse(idpToken(f, ACME_IDP, "k1").withKeyId(null).sign(acmeRs()), InvalidTokenReason.UNKNOWN_KEY);
    refuse(idpToken(f, ACME_IDP, "k1").sign(Algorithm.HMAC256(SsoFixtures.ACME_RSA.getPublic().getEncoded())),
        InvalidTokenReason.ALGORITHM_MISMATCH);
    refuse(idpToken(f, ACME_IDP, "k1").withAudience(TokenFixtures.AUDIENCE).sign(acmeRs()),
        InvalidTokenReason.WRONG_AUDIENCE);
  }

  @Test
  void ssoToken_ofASuspendedTenant_isRefused() throws IOException {
    try (JwksServer idp = new JwksServer()) {
      idp.publish(SsoFixtures.globexJwk("k1"));
      sso.register(new SsoIssuer(f.suspended, "https://idp.initech.example", idp.uri(), "tenancy-app"));

      refuse(idpToken(f, "https://idp.initech.example", "k1").sign(globexRs()), InvalidTokenReason.TENANT_NOT_SERVING);
    }
  }

  @Test
  void cachedSsoToken_isRefused_onceItsIssuerIsUnbound() {
    String token = idpToken(f, ACME_IDP, "k1").sign(acmeRs());
    tokens.verify(token);

    sso.remove(f.acme);

    refuse(token, InvalidTokenReason.WRONG_ISSUER);
  }

  @Test
  void unreachableOrFailingJwks_refusesWithKeysUnavailable() {
    acmeIdp.failWith(500);

    refuse(idpToken(f, ACME_IDP, "k1").sign(acmeRs()), InvalidTokenReason.KEYS_UNAVAILABLE);
  }

  @Test
  void plainHttpJwks_isNotFetched_unlessAllowed() {
    TenantTokenService strict = f.service().ssoIssuers(sso).build();

    assertThatThrownBy(() -> strict.verify(idpToken(f, ACME_IDP, "k1").sign(acmeRs())))
        .isInstanceOfSatisfying(InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidTokenReason.KEYS_UNAVAILABLE));
    assertThat(acmeIdp.requests()).isZero();
  }

  private InvalidTokenException refuse(String token, InvalidTokenReason reason) {
    int before = f.events().size();
    InvalidTokenException[] caught = new InvalidTokenException[1];
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      caught[0] = e;
    });
    List<AuditEvent> events = f.events();
    assertThat(events.size()).isGreaterThan(before);
    assertThat(events.get(events.size() - 1).details()).containsEntry("reason", reason.code());
    f.assertNoTokenIn(events, token);
    return caught[0];
  }
}
