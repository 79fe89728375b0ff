package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.TokenFixtures.AUDIENCE;
import static dev.tenancy.core.identity.TokenFixtures.ISSUER;
import static dev.tenancy.core.identity.TokenFixtures.hs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The valid controls, issuing, the verified-token cache, and revocation. */
class TenantTokenServiceTest {

  private final TokenFixtures f = new TokenFixtures();

  @AfterEach
  void closeAudit() {
    f.audit.close();
  }

  @Test
  void verify_hs256Token_yieldsTheTenantPrincipal() {
    TenantTokenService tokens = f.service().build();

    TenantPrincipal principal = tokens.verify(f.claims(f.acme).withKeyId("hs").withJWTId("jti-1")
        .withArrayClaim("roles", new String[] {"agent", "viewer"}).sign(hs()));

    assertThat(principal.tenant()).isEqualTo(f.acme);
    assertThat(principal.subject()).isEqualTo("user-1");
    assertThat(principal.roles()).containsExactlyInAnyOrder("agent", "viewer");
    assertThat(principal.kind()).isEqualTo(PrincipalKind.USER);
    assertThat(principal.tokenId()).isEqualTo("jti-1");
    assertThat(principal.issuer()).isEqualTo(ISSUER);
    assertThat(principal.expiresAt()).isEqualTo(f.clock.instant().plusSeconds(900));
    assertThat(f.events()).isEmpty();
  }

  @Test
  void verify_rs256AndEs256Tokens_areAccepted() {
    TenantTokenService tokens = f.service().build();

    assertThat(tokens.verify(f.claims(f.acme).withKeyId("rs").sign(TokenFixtures.rs())).tenant()).isEqualTo(f.acme);
    assertThat(tokens.verify(f.claims(f.globex).withKeyId("es").sign(TokenFixtures.es())).tenant())
        .isEqualTo(f.globex);
  }

  @Test
  void verify_hs384AndHs512Keys_areAccepted() {
    byte[] secret = "a-secret-of-sixty-four-bytes-for-hs512-0123456789abcdef012345678".getBytes(
        StandardCharsets.US_ASCII);
    TenantTokenService tokens = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("384", TokenAlgorithm.HS384, secret))
        .key(TokenKey.hmac("512", TokenAlgorithm.HS512, secret))
        .signingKey("512").tenants(f::lookup).clock(f.clock).build();

    assertThat(tokens.verify(f.claims(f.acme).withKeyId("384").sign(Algorithm.HMAC384(secret))).tenant())
        .isEqualTo(f.acme);
    assertThat(tokens.verify(f.claims(f.acme).withKeyId("512").sign(Algorithm.HMAC512(secret))).tenant())
        .isEqualTo(f.acme);
  }

  @Test
  void verify_singleKeyWithoutKid_usesThatKey() {
    TenantTokenService tokens = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, TokenFixtures.SECRET)).tenants(f::lookup).clock(f.clock)
        .build();

    assertThat(tokens.verify(f.claims(f.acme).sign(hs())).tenant()).isEqualTo(f.acme);
  }

  @Test
  void verify_platformToken_yieldsAPlatformPrincipalWithoutTenant() {
    TenantTokenService tokens = f.service().build();
    String token = JWT.create().withKeyId("hs").withIssuer(ISSUER).withAudience(AUDIENCE).withSubject("ops@platform")
        .withArrayClaim("roles", new String[] {"platform_admin"}).withIssuedAt(f.clock.instant())
        .withExpiresAt(f.clock.instant().plusSeconds(600)).withJWTId("p-1").sign(hs());

    TenantPrincipal principal = tokens.verify(token);

    assertThat(principal.isPlatform()).isTrue();
    assertThat(principal.tenant()).isNull();
    assertThat(principal.kind()).isEqualTo(PrincipalKind.PLATFORM);
    assertThat(principal.roles()).containsExactly("platform_admin");
  }

  @Test
  void verify_withinTheLeeway_acceptsSlightlyExpiredAndSlightlyFutureTokens() {
    TenantTokenService tokens = f.service().build();

    assertThat(tokens.verify(f.claims(f.acme).withKeyId("hs").withIssuedAt(f.clock.instant().minusSeconds(900))
        .withExpiresAt(f.clock.instant().minusSeconds(29)).sign(hs())).tenant()).isEqualTo(f.acme);
    assertThat(tokens.verify(f.claims(f.acme).withKeyId("hs").withIssuedAt(f.clock.instant().plusSeconds(30))
        .withNotBefore(f.clock.instant().plusSeconds(30)).sign(hs())).tenant()).isEqualTo(f.acme);
  }

  @Test
  void verify_audienceArrayContainingOurs_isAccepted() {
    TenantTokenService tokens = f.service().build();

    assertThat(tokens.verify(f.claims(f.acme).withKeyId("hs").withAudience("billing", AUDIENCE).sign(hs()))
        .tenant()).isEqualTo(f.acme);
  }

  @Test
  void issue_thenVerify_roundTripsEveryKindOfPrincipal() {
    TenantTokenService tokens = f.service().build();
    TenantPrincipal user = new TenantPrincipal(f.acme, "user-7", Set.of("agent", "viewer"), PrincipalKind.USER,
        null, null, null);
    TenantPrincipal service = new TenantPrincipal(f.globex, "client-3", Set.of("viewer"), PrincipalKind.SERVICE,
        null, null, null);
    TenantPrincipal platform = new TenantPrincipal(null, "ops", Set.of("platform_admin"), PrincipalKind.PLATFORM,
        null, null, null);

    for (TenantPrincipal principal : new TenantPrincipal[] {user, service, platform}) {
      String token = tokens.issue(principal, Duration.ofMinutes(15));
      TenantPrincipal verified = tokens.verify(token);
      assertThat(verified.tenant()).isEqualTo(principal.tenant());
      assertThat(verified.subject()).isEqualTo(principal.subject());
      assertThat(verified.roles()).isEqualTo(principal.roles());
      assertThat(verified.kind()).isEqualTo(principal.kind());
      assertThat(verified.tokenId()).isNotBlank();
      assertThat(verified.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(15)));
    }
  }

  @Test
  void issue_forAnApiKeyExpiringSooner_tokenEndsWithTheKey() {
    TenantTokenService tokens = f.service().build();
    Instant keyExpires = f.clock.instant().plus(Duration.ofMinutes(5));
    TenantPrincipal fromKey = new TenantPrincipal(f.acme, "client-3", Set.of("viewer"), PrincipalKind.SERVICE, null,
        null, keyExpires);
    TenantPrincipal expiredKey = new TenantPrincipal(f.acme, "client-3", Set.of("viewer"), PrincipalKind.SERVICE,
        null, null, f.clock.instant());

    DecodedJWT token = JWT.decode(tokens.issue(fromKey, Duration.ofMinutes(15)));

    assertThat(token.getExpiresAtAsInstant()).isEqualTo(keyExpires);
    assertThatThrownBy(() -> tokens.issue(expiredKey, Duration.ofMinutes(15)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
  }

  @Test
  void issue_writesTheClaimsAndARandomJti_signedWithTheSigningKey() {
    TenantTokenService tokens = f.service().build();
    TenantPrincipal user = new TenantPrincipal(f.acme, "user-7", Set.of("agent"), PrincipalKind.USER, null, null,
        null);

    DecodedJWT first = ((JWTVerifier.BaseVerification) JWT.require(hs()).withIssuer(ISSUER).withAudience(AUDIENCE))
        .build(f.clock)
        .verify(tokens.issue(user, Duration.ofMinutes(5)));
    DecodedJWT second = JWT.decode(tokens.issue(user, Duration.ofMinutes(5)));

    assertThat(first.getKeyId()).isEqualTo("hs");
    assertThat(first.getAlgorithm()).isEqualTo("HS256");
    assertThat(first.getClaim("org_id").asString()).isEqualTo(f.acme.toString());
    assertThat(first.getClaim("roles").asList(String.class)).containsExactly("agent");
    assertThat(first.getIssuedAtAsInstant()).isEqualTo(f.clock.instant());
    assertThat(first.getExpiresAtAsInstant()).isEqualTo(f.clock.instant().plusSeconds(300));
    assertThat(first.getId()).isNotEqualTo(second.getId());
  }

  @Test
  void issue_refusesTtlsOutsideTheAllowedRange_andVerifyOnlyServices() {
    TenantTokenService tokens = f.service().maxTokenLifetime(Duration.ofHours(1)).build();
    TenantPrincipal user = new TenantPrincipal(f.acme, "u", Set.of(), PrincipalKind.USER, null, null, null);

    assertThatThrownBy(() -> tokens.issue(user, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> tokens.issue(user, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokenLifetime");
    TenantTokenService verifyOnly = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.ec("es", (java.security.interfaces.ECPublicKey) TokenFixtures.EC.getPublic(), null))
        .tenants(f::lookup).build();
    assertThatThrownBy(() -> verifyOnly.issue(user, Duration.ofMinutes(1))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only verifies");
  }

  @Test
  void cache_holdsAVerifiedToken_andAnswersRepeatedCallsFromIt() {
    TenantTokenService tokens = f.service().build();
    String token = f.claims(f.acme).withKeyId("rs").sign(TokenFixtures.rs());

    TenantPrincipal first = tokens.verify(token);
    TenantPrincipal second = tokens.verify(token);

    assertThat(tokens.cachedTokens()).isEqualTo(1);
    assertThat(second).isSameAs(first);
  }

  @Test
  void cache_neverHoldsRefusedTokens() {
    TenantTokenService tokens = f.service().build();

    assertThatThrownBy(() -> tokens.verify(f.hsToken(f.suspended))).isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> tokens.verify(f.claims(f.acme).withKeyId("hs").sign(Algorithm.HMAC256(
        "wrong-secret-0123456789abcdef0123456789")))).isInstanceOf(InvalidTokenException.class);

    assertThat(tokens.cachedTokens()).isZero();
  }

  @Test
  void cachedToken_ofATenantSuspendedAfterwards_isRefusedAtOnce() {
    TenantTokenService tokens = f.service().build();
    String token = f.hsToken(f.acme);
    tokens.verify(token);

    f.setStatus(f.acme, "acme", TenantStatus.SUSPENDED);

    assertReason(tokens, token, InvalidTokenReason.TENANT_NOT_SERVING);
    f.setStatus(f.acme, "acme", TenantStatus.ACTIVE);
    assertThat(tokens.verify(token).tenant()).isEqualTo(f.acme);
  }

  @Test
  void cachedToken_ofATenantRemovedAfterwards_isRefused() {
    TenantTokenService tokens = f.service().build();
    String token = f.hsToken(f.acme);
    tokens.verify(token);

    f.tenants.remove(f.acme);

    assertReason(tokens, token, InvalidTokenReason.UNKNOWN_TENANT);
  }

  @Test
  void cachedToken_afterItsExpiryAndTheLeeway_isRefusedAsExpired() {
    TenantTokenService tokens = f.service().build();
    String token = f.hsToken(f.acme);
    tokens.verify(token);

    f.clock.advance(Duration.ofSeconds(900).plus(TenantTokenService.DEFAULT_LEEWAY));

    assertReason(tokens, token, InvalidTokenReason.EXPIRED);
  }

  @Test
  void revokedJti_isRefused_evenWhenCached() {
    TenantTokenService tokens = f.service().build();
    String token = f.hsToken(f.acme);
    String other = f.hsToken(f.acme);
    TenantPrincipal principal = tokens.verify(token);

    tokens.revoke(principal);

    assertReason(tokens, token, InvalidTokenReason.TOKEN_REVOKED);
    assertThat(tokens.verify(other).tenant()).isEqualTo(f.acme);
    assertThat(f.events()).extracting(AuditEvent::action).contains("auth.token_revoked");
  }

  @Test
  void revokedTenantSessions_refuseEveryEarlierToken_butNotLaterOnes() {
    TenantTokenService tokens = f.service().build();
    String before = f.hsToken(f.acme);
    String otherTenant = f.hsToken(f.globex);
    tokens.verify(before);

    tokens.revokeTenantSessions(f.acme);

    assertReason(tokens, before, InvalidTokenReason.TENANT_SESSIONS_REVOKED);
    assertThat(tokens.verify(otherTenant).tenant()).isEqualTo(f.globex);
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(f.hsToken(f.acme)).tenant()).isEqualTo(f.acme);
    assertThat(f.events()).filteredOn(e -> e.action().equals("auth.sessions_revoked")).singleElement()
        .satisfies(e -> assertThat(e.tenant()).isEqualTo(f.acme));
  }

  @Test
  void revoke_principalWithoutTokenId_isRefused() {
    TenantTokenService tokens = f.service().build();

    assertThatThrownBy(() -> tokens.revoke(new TenantPrincipal(f.acme, "u", Set.of(), PrincipalKind.SERVICE, null,
        null, null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revokeTenantSessions");
  }

  @Test
  void cacheOff_stillVerifiesEveryCall() {
    TenantTokenService tokens = f.service().cacheSize(0).build();
    String token = f.hsToken(f.acme);

    tokens.verify(token);
    tokens.verify(token);

    assertThat(tokens.cachedTokens()).isZero();
  }

  @Test
  void verify_withoutAuditLog_stillRefusesWithTheReason() {
    TenantTokenService tokens = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, TokenFixtures.SECRET)).tenants(f::lookup).clock(f.clock)
        .build();

    assertReason(tokens, "x.y.z", InvalidTokenReason.MALFORMED);
  }

  @Test
  void verify_whenTheAuditLogIsClosed_stillRefuses() {
    TenantTokenService tokens = f.service().build();
    f.audit.close();

    assertReason(tokens, "x.y.z", InvalidTokenReason.MALFORMED);
  }

  private static void assertReason(TenantTokenService tokens, String token, InvalidTokenReason reason) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
