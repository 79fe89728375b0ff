package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.TokenFixtures.AUDIENCE;
import static dev.tenancy.core.identity.TokenFixtures.ISSUER;
import static dev.tenancy.core.identity.TokenFixtures.b64;
import static dev.tenancy.core.identity.TokenFixtures.hs;
import static dev.tenancy.core.identity.TokenFixtures.json;
import static dev.tenancy.core.identity.TokenFixtures.signRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack battery: real java-jwt tokens and hand-made malformed ones, each of which must be refused with its own
 * reason, recorded in the audit trail as a denied security event, and never echoed into a message or an event.
 */
class TokenAttackTest {

  private final TokenFixtures f = new TokenFixtures();

  @AfterEach
  void closeAudit() {
    f.audit.close();
  }

  static Stream<Arguments> attacks() {
    return Stream.of(
        attack("empty token", x -> "", InvalidTokenReason.MISSING),
        attack("garbage", x -> "not-a-jwt", InvalidTokenReason.MALFORMED),
        attack("three parts of garbage", x -> "a.b.c", InvalidTokenReason.MALFORMED),
        attack("header is not JSON", x -> b64("alg=HS256") + "." + b64(x.payload("\"" + x.acme + "\"", "")) + ".sig",
            InvalidTokenReason.MALFORMED),
        attack("crit header we do not understand", x -> signRaw(
            "{\"alg\":\"HS256\",\"kid\":\"hs\",\"crit\":[\"exp-ext\"],\"exp-ext\":1}", x.payload("\"" + x.acme + "\"", ""),
            hs()), InvalidTokenReason.MALFORMED),
        attack("100 KB token, validly signed", x -> x.claims(x.acme).withKeyId("hs")
            .withClaim("padding", "x".repeat(100 * 1024)).sign(hs()), InvalidTokenReason.TOO_LONG),
        attack("payload swapped under a valid signature", x -> {
          String[] victim = x.hsToken(x.acme).split("\\.");
          String[] other = x.claims(x.globex).withKeyId("hs").withArrayClaim("roles", new String[] {"tenant_admin"})
              .sign(hs()).split("\\.");
          return victim[0] + "." + other[1] + "." + victim[2];
        }, InvalidTokenReason.BAD_SIGNATURE),
        attack("org_id edited to another tenant", x -> {
          String[] parts = x.hsToken(x.acme).split("\\.");
          String edited = json(parts[1]).replace(x.acme.toString(), x.globex.toString());
          return parts[0] + "." + b64(edited) + "." + parts[2];
        }, InvalidTokenReason.BAD_SIGNATURE),
        attack("roles edited (privilege escalation)", x -> {
          String[] parts = x.hsToken(x.acme).split("\\.");
          String edited = json(parts[1]).replace("\"agent\"", "\"tenant_admin\"");
          return parts[0] + "." + b64(edited) + "." + parts[2];
        }, InvalidTokenReason.BAD_SIGNATURE),
        attack("signed with an attacker's secret", x -> x.claims(x.acme).withKeyId("hs")
            .sign(Algorithm.HMAC256("the-attackers-own-secret-0123456789abcdef")), InvalidTokenReason.BAD_SIGNATURE),
        attack("wrong kid: another configured key of the same algorithm", x -> x.claims(x.acme).withKeyId("hs-old")
            .sign(hs()), InvalidTokenReason.BAD_SIGNATURE),
        attack("unknown kid", x -> x.claims(x.acme).withKeyId("2031-01").sign(hs()), InvalidTokenReason.UNKNOWN_KEY),
        attack("no kid while several keys are configured", x -> x.claims(x.acme).sign(hs()),
            InvalidTokenReason.UNKNOWN_KEY),
        attack("kid with a path", x -> x.claims(x.acme).withKeyId("../../../../../dev/null").sign(Algorithm.HMAC256(new byte[1])),
            InvalidTokenReason.UNKNOWN_KEY),
        attack("kid with a path to a public file", x -> x.claims(x.acme).withKeyId("/etc/passwd")
            .sign(Algorithm.HMAC256("root:x:0:0:root:/root:/bin/bash")), InvalidTokenReason.UNKNOWN_KEY),
        attack("kid with SQL", x -> x.claims(x.acme).withKeyId("hs' UNION SELECT 'secret' --")
            .sign(Algorithm.HMAC256("secret")), InvalidTokenReason.UNKNOWN_KEY),
        attack("kid with a URL", x -> x.claims(x.acme).withKeyId("https://attacker.example/jwks.json")
            .sign(hs()), InvalidTokenReason.UNKNOWN_KEY),
        attack("kid as a number", x -> signRaw("{\"alg\":\"HS256\",\"kid\":7}", x.payload("\"" + x.acme + "\"", ""),
            hs()), InvalidTokenReason.MALFORMED),
        attack("embedded jwk header with the attacker's key", x -> {
          String header = "{\"alg\":\"HS256\",\"kid\":\"hs\",\"jwk\":{\"kty\":\"oct\",\"k\":\""
              + Base64.getUrlEncoder().withoutPadding().encodeToString("attacker-key-0123456789abcdef0123".getBytes(
                  StandardCharsets.US_ASCII)) + "\"},\"jku\":\"https://attacker.example/jwks.json\"}";
          return signRaw(header, x.payload("\"" + x.acme + "\"", ""),
              Algorithm.HMAC256("attacker-key-0123456789abcdef0123"));
        }, InvalidTokenReason.BAD_SIGNATURE),
        attack("RS256 header on the HMAC key", x -> x.claims(x.acme).withKeyId("hs").sign(TokenFixtures.rs()),
            InvalidTokenReason.ALGORITHM_MISMATCH),
        attack("HS256 signed with the RSA public key as secret (algorithm confusion)", x -> x.claims(x.acme)
            .withKeyId("rs").sign(Algorithm.HMAC256(TokenFixtures.RSA.getPublic().getEncoded())),
            InvalidTokenReason.ALGORITHM_MISMATCH),
        attack("HS256 signed with the RSA public key in PEM as secret", x -> x.claims(x.acme).withKeyId("rs")
            .sign(Algorithm.HMAC256(pem((RSAPublicKey) TokenFixtures.RSA.getPublic()))),
            InvalidTokenReason.ALGORITHM_MISMATCH),
        attack("expired", x -> x.claims(x.acme).withKeyId("hs").withIssuedAt(x.clock.instant().minusSeconds(7200))
            .withExpiresAt(x.clock.instant().minusSeconds(3600)).sign(hs()), InvalidTokenReason.EXPIRED),
        attack("expired just beyond the leeway", x -> x.claims(x.acme).withKeyId("hs")
            .withIssuedAt(x.clock.instant().minusSeconds(900)).withExpiresAt(x.clock.instant().minusSeconds(30))
            .sign(hs()), InvalidTokenReason.EXPIRED),
        attack("nbf in the future beyond the leeway", x -> x.claims(x.acme).withKeyId("hs")
            .withNotBefore(x.clock.instant().plusSeconds(31)).sign(hs()), InvalidTokenReason.NOT_YET_VALID),
        attack("iat in the future beyond the leeway", x -> x.claims(x.acme).withKeyId("hs")
            .withIssuedAt(x.clock.instant().plusSeconds(3600)).withExpiresAt(x.clock.instant().plusSeconds(7200))
            .sign(hs()), InvalidTokenReason.NOT_YET_VALID),
        attack("wrong issuer, signed with our own key", x -> x.claims(x.acme).withKeyId("hs")
            .withIssuer("https://evil.example").sign(hs()), InvalidTokenReason.WRONG_ISSUER),
        attack("no issuer", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"iss\":\"" + ISSUER + "\",", ""), hs()),
            InvalidTokenReason.WRONG_ISSUER),
        attack("issuer as an array holding ours", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"iss\":\"" + ISSUER + "\"", "\"iss\":[\"" + ISSUER + "\"]"),
            hs()), InvalidTokenReason.WRONG_ISSUER),
        attack("wrong audience", x -> x.claims(x.acme).withKeyId("hs").withAudience("billing").sign(hs()),
            InvalidTokenReason.WRONG_AUDIENCE),
        attack("no audience", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"aud\":\"" + AUDIENCE + "\",", ""), hs()),
            InvalidTokenReason.WRONG_AUDIENCE),
        attack("missing exp (java-jwt alone accepts it)", x -> JWT.create().withKeyId("hs").withIssuer(ISSUER)
            .withAudience(AUDIENCE).withSubject("user-1").withClaim("org_id", x.acme.toString())
            .withIssuedAt(x.clock.instant()).withJWTId("j").sign(hs()), InvalidTokenReason.MISSING_CLAIM),
        attack("exp null (java-jwt alone accepts it)", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replaceAll("\"exp\":\\d+", "\"exp\":null"), hs()),
            InvalidTokenReason.MISSING_CLAIM),
        attack("exp as text", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replaceAll("\"exp\":(\\d+)", "\"exp\":\"$1\""), hs()),
            InvalidTokenReason.MALFORMED),
        attack("exp beyond the range of an instant", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replaceAll("\"exp\":\\d+", "\"exp\":9223372036854775807"), hs()),
            InvalidTokenReason.MALFORMED),
        attack("missing iat", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replaceAll("\"iat\":\\d+,", ""), hs()),
            InvalidTokenReason.MISSING_CLAIM),
        attack("missing jti on our own token", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replaceAll(",\"jti\":\"[^\"]+\"", ""), hs()),
            InvalidTokenReason.MISSING_CLAIM),
        attack("missing sub", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"sub\":\"user-1\",", ""), hs()),
            InvalidTokenReason.MISSING_CLAIM),
        attack("no org_id and no platform role", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"org_id\":\"" + x.acme + "\",", ""), hs()),
            InvalidTokenReason.MISSING_CLAIM),
        attack("org_id of an unknown tenant", x -> x.hsToken(TenantId.random()), InvalidTokenReason.UNKNOWN_TENANT),
        attack("org_id of a suspended tenant", x -> x.hsToken(x.suspended), InvalidTokenReason.TENANT_NOT_SERVING),
        attack("org_id as an array", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("[\"" + x.acme + "\"]", ""), hs()), InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("org_id as a number", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}", x.payload("42", ""), hs()),
            InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("org_id as an object", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("{\"id\":\"" + x.acme + "\"}", ""), hs()), InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("org_id null", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}", x.payload("null", ""), hs()),
            InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("org_id not a canonical UUID", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"1-1-1-1-1\"", ""), hs()), InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("org_id with SQL", x -> x.claims(x.acme).withKeyId("hs").withClaim("org_id", "' OR 1=1 --")
            .sign(hs()), InvalidTokenReason.INVALID_TENANT_CLAIM),
        attack("roles as a string", x -> x.claims(x.acme).withKeyId("hs").withClaim("roles", "tenant_admin")
            .sign(hs()), InvalidTokenReason.INVALID_CLAIM),
        attack("roles as numbers", x -> x.claims(x.acme).withKeyId("hs").withArrayClaim("roles", new Integer[] {1, 2})
            .sign(hs()), InvalidTokenReason.INVALID_CLAIM),
        attack("roles null", x -> signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
            x.payload("\"" + x.acme + "\"", "").replace("\"roles\":[\"agent\"]", "\"roles\":null"), hs()),
            InvalidTokenReason.INVALID_CLAIM),
        attack("unknown kind", x -> x.claims(x.acme).withKeyId("hs").withClaim("kind", "root").sign(hs()),
            InvalidTokenReason.INVALID_CLAIM),
        attack("platform_admin inside a tenant token", x -> x.claims(x.acme).withKeyId("hs")
            .withArrayClaim("roles", new String[] {"agent", "platform_admin"}).sign(hs()),
            InvalidTokenReason.FORBIDDEN_ROLE));
  }

  private static Arguments attack(String name, Function<TokenFixtures, String> token, InvalidTokenReason reason) {
    return Arguments.of(named(name, token), reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void attack_isRefusedWithItsReason_andAudited(Function<TokenFixtures, String> attack, InvalidTokenReason reason) {
    TenantTokenService tokens = f.service().build();
    String token = attack.apply(f);

    assertRefused(tokens, token, reason);
  }

  @ParameterizedTest(name = "alg {0}")
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNone_inEverySpelling_withOrWithoutSignaturePart_isRefused(String none) {
    TenantTokenService tokens = f.service().build();
    String payload = b64(f.payload("\"" + f.acme + "\"", ""));
    String header = b64("{\"alg\":\"" + none + "\",\"typ\":\"JWT\",\"kid\":\"hs\"}");
    String validSignature = f.hsToken(f.acme).split("\\.")[2];

    assertRefused(tokens, header + "." + payload + ".", InvalidTokenReason.ALGORITHM_MISMATCH);
    assertRefused(tokens, header + "." + payload + "." + validSignature, InvalidTokenReason.ALGORITHM_MISMATCH);
    assertRefused(tokens, header + "." + payload, InvalidTokenReason.MALFORMED);
    String headerWithoutKid = b64("{\"alg\":\"" + none + "\"}");
    TenantTokenService singleKey = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, TokenFixtures.SECRET)).tenants(f::lookup).clock(f.clock)
        .audit(f.audit).build();
    assertRefused(singleKey, headerWithoutKid + "." + payload + ".", InvalidTokenReason.ALGORITHM_MISMATCH);
  }

  @Test
  void algorithmConfusion_againstAnRs256OnlyService_withAndWithoutKid_isRefused() {
    TenantTokenService rsOnly = TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.rsa("rs", (RSAPublicKey) TokenFixtures.RSA.getPublic(), null))
        .tenants(f::lookup).clock(f.clock).audit(f.audit).build();
    Algorithm confused = Algorithm.HMAC256(TokenFixtures.RSA.getPublic().getEncoded());

    assertRefused(rsOnly, f.claims(f.acme).sign(confused), InvalidTokenReason.ALGORITHM_MISMATCH);
    assertRefused(rsOnly, f.claims(f.acme).withKeyId("rs").sign(confused), InvalidTokenReason.ALGORITHM_MISMATCH);
    // The control: the same claims, signed as configured, pass.
    assertThat(rsOnly.verify(f.claims(f.acme).withKeyId("rs").sign(TokenFixtures.rs())).tenant()).isEqualTo(f.acme);
  }

  @Test
  void missingAndNullExp_areAcceptedByBareJavaJwt_butRefusedHere() {
    String noExp = JWT.create().withKeyId("hs").withIssuer(ISSUER).withAudience(AUDIENCE).withSubject("user-1")
        .withClaim("org_id", f.acme.toString()).withIssuedAt(f.clock.instant()).withJWTId("j").sign(hs());
    String nullExp = signRaw("{\"alg\":\"HS256\",\"kid\":\"hs\"}",
        f.payload("\"" + f.acme + "\"", "").replaceAll("\"exp\":\\d+", "\"exp\":null"), hs());
    var bare = JWT.require(hs()).withIssuer(ISSUER).withAudience(AUDIENCE).build();
    assertThat(bare.verify(noExp).getExpiresAtAsInstant()).isNull();
    assertThat(bare.verify(nullExp).getExpiresAtAsInstant()).isNull();

    TenantTokenService tokens = f.service().build();
    assertRefused(tokens, noExp, InvalidTokenReason.MISSING_CLAIM);
    assertRefused(tokens, nullExp, InvalidTokenReason.MISSING_CLAIM);
  }

  @Test
  void refusal_withRequestFacts_recordsThemInTheEvent() {
    TenantTokenService tokens = f.service().build();

    assertThatThrownBy(() -> tokens.verify("a.b.c", "203.0.113.7", "trace-1"))
        .isInstanceOf(InvalidTokenException.class);

    assertThat(f.events()).singleElement().satisfies(event -> {
      assertThat(event.sourceAddress()).isEqualTo("203.0.113.7");
      assertThat(event.traceId()).isEqualTo("trace-1");
    });
  }

  @Test
  void refusalAfterTheSignature_namesTheVerifiedTenantAndSubject_inTheTenantsChain() {
    TenantTokenService tokens = f.service().build();

    assertRefused(tokens, f.hsToken(f.suspended), InvalidTokenReason.TENANT_NOT_SERVING);

    assertThat(f.events()).singleElement().satisfies(event -> {
      assertThat(event.tenant()).isEqualTo(f.suspended);
      assertThat(event.actor()).isEqualTo("user-1");
    });
  }

  private void assertRefused(TenantTokenService tokens, String token, InvalidTokenReason reason) {
    int before = f.events().size();
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getCause()).isNull();
          if (token.length() > 8) {
            assertThat(e.getMessage()).doesNotContain(token.substring(0, 8));
          }
        });
    List<AuditEvent> events = f.events();
    assertThat(events).hasSize(before + 1);
    AuditEvent event = events.get(events.size() - 1);
    assertThat(event.category()).isEqualTo(AuditCategory.SECURITY);
    assertThat(event.action()).isEqualTo("auth.token_rejected");
    assertThat(event.outcome()).isEqualTo(AuditOutcome.DENIED);
    assertThat(event.actorType()).isEqualTo(AuditActorType.ANONYMOUS);
    assertThat(event.details()).containsEntry("reason", reason.code());
    f.assertNoTokenIn(events, token);
  }

  private static String pem(RSAPublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
