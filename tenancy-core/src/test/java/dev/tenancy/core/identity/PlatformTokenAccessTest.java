package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.TokenFixtures.AUDIENCE;
import static dev.tenancy.core.identity.TokenFixtures.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform token gives a principal that belongs to no tenant; it reaches a tenant's data only through
 * {@code TenantContext.asPlatform}, which the audit trail records with the operator and the reason.
 */
class PlatformTokenAccessTest {

  private final TokenFixtures f = new TokenFixtures();

  @AfterEach
  void closeAudit() {
    f.audit.close();
  }

  @Test
  void platformToken_entersATenantOnlyThroughAsPlatform_auditedWithTheReason() throws Exception {
    TenantTokenService tokens = f.service().build();
    String token = tokens.issue(new TenantPrincipal(null, "ops@platform", Set.of(TenantPrincipal.PLATFORM_ADMIN),
        PrincipalKind.PLATFORM, null, null, null), Duration.ofMinutes(5));
    TenantPrincipal operator = tokens.verify(token);
    assertThat(operator.findTenant()).isEmpty();
    assertThat(JWT.decode(token).getClaim("org_id").isMissing()).isTrue();
    TenantInfo acme = f.tenants.get(f.acme);

    try (AutoCloseable registration = TenantContext.addPlatformAccessListener(f.audit.platformAccessListener())) {
      String seen = TenantContext.asPlatform(operator.subject(), "ticket 4711", acme,
          () -> TenantContext.require().slug().value());
      assertThat(seen).isEqualTo("acme");
    }

    assertThat(f.events()).singleElement().satisfies(event -> {
      assertThat(event.category()).isEqualTo(AuditCategory.PLATFORM_ACCESS);
      assertThat(event.action()).isEqualTo("platform.access");
      assertThat(event.tenant()).isEqualTo(f.acme);
      assertThat(event.actorType()).isEqualTo(AuditActorType.PLATFORM_OPERATOR);
      assertThat(event.actor()).isEqualTo("ops@platform");
      assertThat(event.details()).containsEntry("reason", "ticket 4711");
    });
  }

  @Test
  void platformToken_ofAnotherIssuerOrAudience_isNoPlatformToken() {
    TenantTokenService tokens = f.service().build();
    String foreign = JWT.create().withKeyId("hs").withIssuer("https://other.example").withAudience(AUDIENCE)
        .withSubject("ops").withArrayClaim("roles", new String[] {"platform_admin"}).withIssuedAt(f.clock.instant())
        .withExpiresAt(f.clock.instant().plusSeconds(60)).withJWTId("p").sign(TokenFixtures.hs());
    String otherAudience = JWT.create().withKeyId("hs").withIssuer(ISSUER).withAudience("billing")
        .withSubject("ops").withArrayClaim("roles", new String[] {"platform_admin"}).withIssuedAt(f.clock.instant())
        .withExpiresAt(f.clock.instant().plusSeconds(60)).withJWTId("p").sign(TokenFixtures.hs());

    assertThatThrownBy(() -> tokens.verify(foreign)).isInstanceOfSatisfying(InvalidTokenException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidTokenReason.WRONG_ISSUER));
    assertThatThrownBy(() -> tokens.verify(otherAudience)).isInstanceOfSatisfying(InvalidTokenException.class,
        e -> assertThat(e.reason()).isEqualTo(InvalidTokenReason.WRONG_AUDIENCE));
  }
}
