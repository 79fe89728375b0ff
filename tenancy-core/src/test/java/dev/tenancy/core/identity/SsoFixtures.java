package dev.tenancy.core.identity;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.TenantId;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** Identity providers of two tenants, each with its own keys, and the tokens they would issue. */
final class SsoFixtures {

  static final String ACME_IDP = "https://login.acme.example";
  static final String GLOBEX_IDP = "https://sso.globex.example";
  static final KeyPair ACME_RSA = TokenFixtures.RSA;
  static final KeyPair ACME_EC = TokenFixtures.EC;
  static final KeyPair GLOBEX_RSA = rsa();

  private SsoFixtures() {
  }

  static String acmeJwk(String kid) {
    return JwksParserTest.rsaJwk(kid, (RSAPublicKey) ACME_RSA.getPublic(), ",\"use\":\"sig\",\"alg\":\"RS256\"");
  }

  static String acmeEcJwk(String kid) {
    return JwksParserTest.ecJwk(kid, (ECPublicKey) ACME_EC.getPublic(), "");
  }

  static String globexJwk(String kid) {
    return JwksParserTest.rsaJwk(kid, (RSAPublicKey) GLOBEX_RSA.getPublic(), "");
  }

  static Algorithm acmeRs() {
    return Algorithm.RSA256((RSAPublicKey) ACME_RSA.getPublic(), (RSAPrivateKey) ACME_RSA.getPrivate());
  }

  static Algorithm acmeEs() {
    return Algorithm.ECDSA256((ECPublicKey) ACME_EC.getPublic(), (ECPrivateKey) ACME_EC.getPrivate());
  }

  static Algorithm globexRs() {
    return Algorithm.RSA256((RSAPublicKey) GLOBEX_RSA.getPublic(), (RSAPrivateKey) GLOBEX_RSA.getPrivate());
  }

  /** What an identity provider puts in an access token: no org_id, its own issuer, the client id as audience. */
  static JWTCreator.Builder idpToken(TokenFixtures f, String issuer, String kid) {
    return JWT.create().withKeyId(kid).withIssuer(issuer).withAudience("tenancy-app").withSubject("alice@" + issuer)
        .withIssuedAt(f.clock.instant()).withExpiresAt(f.clock.instant().plusSeconds(3600))
        .withArrayClaim("roles", new String[] {"agent"});
  }

  static String withTenant(JWTCreator.Builder token, TenantId tenant, Algorithm algorithm) {
    return token.withClaim("org_id", tenant.toString()).sign(algorithm);
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
