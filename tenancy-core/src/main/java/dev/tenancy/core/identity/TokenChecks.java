package dev.tenancy.core.identity;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.tenancy.core.TenantId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The stateless part of verification: decode, pick the key (by issuer, then by {@code kid} — a map lookup, nothing
 * else), check that the header names that key's algorithm, check the signature, then every claim, each failure with
 * its own reason. java-jwt's {@code JWTVerifier} is not used: it cannot tell which claim failed, accepts a token
 * without {@code exp}, and reads {@code iss}/{@code sub} leniently (a number becomes text); the signature is checked
 * by java-jwt's {@code Algorithm} bound to the configured key.
 *
 * <p>What can change after a token was verified (revocation, the tenant's status) is not checked here but by
 * {@link TenantTokenService} on every call, so that cached tokens get the same checks.
 */
final class TokenChecks {

  static final String TENANT_CLAIM = "org_id";
  static final String ROLES_CLAIM = "roles";
  static final String KIND_CLAIM = "kind";
  static final int MAX_ROLES = 256;
  static final int MAX_TEXT_CLAIM = 1024;

  private final JWT decoder = new JWT();
  private final String issuer;
  private final String audience;
  private final Map<String, VerificationKey> keys;
  private final @Nullable VerificationKey onlyKey;
  private final @Nullable SsoIssuerRegistry sso;
  private final Function<SsoIssuer, JwksKeySet> keySets;
  private final Duration leeway;

  TokenChecks(String issuer, String audience, Map<String, VerificationKey> keys, @Nullable SsoIssuerRegistry sso,
      Function<SsoIssuer, JwksKeySet> keySets, Duration leeway) {
    this.issuer = issuer;
    this.audience = audience;
    this.keys = Map.copyOf(keys);
    this.onlyKey = keys.size() == 1 ? keys.values().iterator().next() : null;
    this.sso = sso;
    this.keySets = keySets;
    this.leeway = leeway;
  }

  VerifiedToken verify(String token, Instant now) {
    DecodedJWT jwt;
    try {
      jwt = decoder.decodeJwt(token);
    } catch (RuntimeException e) {
      // JWTDecodeException, but also DateTimeException for an exp beyond Instant's range: never a 500.
      throw TokenRejection.of(InvalidTokenReason.MALFORMED);
    }
    if (!jwt.getHeaderClaim("crit").isMissing()) {
      // RFC 7515 4.1.11: extensions we do not understand must not be ignored.
      throw TokenRejection.of(InvalidTokenReason.MALFORMED);
    }
    String iss = text(jwt.getClaim("iss"));
    if (iss == null) {
      throw TokenRejection.of(InvalidTokenReason.WRONG_ISSUER);
    }
    Claim kidClaim = jwt.getHeaderClaim("kid");
    String kid = text(kidClaim);
    if (kid == null && !(kidClaim.isMissing() || kidClaim.isNull())) {
      throw TokenRejection.of(InvalidTokenReason.MALFORMED);
    }
    SsoIssuer ssoIssuer = null;
    VerificationKey key;
    if (iss.equals(issuer)) {
      key = kid == null ? onlyKey : keys.get(kid);
    } else {
      ssoIssuer = sso == null ? null : sso.lookup(iss);
      if (ssoIssuer == null) {
        throw TokenRejection.of(InvalidTokenReason.WRONG_ISSUER);
      }
      key = ssoKey(ssoIssuer, kid);
    }
    if (key == null) {
      throw TokenRejection.of(InvalidTokenReason.UNKNOWN_KEY);
    }
    // The header's alg is compared, never used: the key decides the algorithm.
    if (!key.algorithm().name().equals(jwt.getAlgorithm())) {
      throw TokenRejection.of(InvalidTokenReason.ALGORITHM_MISMATCH);
    }
    try {
      key.jwt().verify(jwt);
    } catch (RuntimeException e) {
      throw TokenRejection.of(InvalidTokenReason.BAD_SIGNATURE);
    }
    try {
      return claims(jwt, iss, ssoIssuer, key, now);
    } catch (JWTVerificationException | IllegalArgumentException e) {
      // A claim java-jwt could not map, or a principal the record refuses: a bad token, never a 500.
      throw TokenRejection.of(InvalidTokenReason.INVALID_CLAIM);
    }
  }

  private @Nullable VerificationKey ssoKey(SsoIssuer ssoIssuer, @Nullable String kid) {
    if (kid == null) {
      // An issuer's key set may hold many keys, and trying each is exactly what kid is there to avoid.
      return null;
    }
    try {
      return keySets.apply(ssoIssuer).find(kid);
    } catch (IOException e) {
      throw new TokenRejection(InvalidTokenReason.KEYS_UNAVAILABLE, null, null, null, null);
    }
  }

  /** Reads the claims of a token whose signature is valid: from here on, every claim is the issuer's word. */
  private VerifiedToken claims(DecodedJWT jwt, String iss, @Nullable SsoIssuer ssoIssuer, VerificationKey key,
      Instant now) {
    TenantId boundTenant = ssoIssuer == null ? null : ssoIssuer.tenant();
    String sub = text(jwt.getClaim("sub"));
    String subject = sub == null || sub.isBlank() || sub.length() > MAX_TEXT_CLAIM ? null : sub;
    Instant exp = instant(jwt.getClaim("exp"));
    if (exp == null) {
      throw reject(InvalidTokenReason.MISSING_CLAIM, boundTenant, subject, iss);
    }
    if (!now.isBefore(exp.plus(leeway))) {
      throw reject(InvalidTokenReason.EXPIRED, boundTenant, subject, iss);
    }
    Instant iat = instant(jwt.getClaim("iat"));
    if (iat == null) {
      throw reject(InvalidTokenReason.MISSING_CLAIM, boundTenant, subject, iss);
    }
    Instant latest = now.plus(leeway);
    Instant nbf = instant(jwt.getClaim("nbf"));
    if (iat.isAfter(latest) || (nbf != null && nbf.isAfter(latest))) {
      throw reject(InvalidTokenReason.NOT_YET_VALID, boundTenant, subject, iss);
    }
    String expectedAudience = ssoIssuer != null && ssoIssuer.audience() != null ? ssoIssuer.audience() : audience;
    if (!audienceContains(jwt.getClaim("aud"), expectedAudience)) {
      throw reject(InvalidTokenReason.WRONG_AUDIENCE, boundTenant, subject, iss);
    }
    if (sub == null) {
      throw reject(InvalidTokenReason.MISSING_CLAIM, boundTenant, null, iss);
    }
    if (subject == null) {
      throw reject(InvalidTokenReason.INVALID_CLAIM, boundTenant, null, iss);
    }
    Claim jtiClaim = jwt.getClaim("jti");
    String jti = text(jtiClaim);
    if (jti == null && !(jtiClaim.isMissing() || jtiClaim.isNull())) {
      throw reject(InvalidTokenReason.INVALID_CLAIM, boundTenant, subject, iss);
    }
    if (jti != null && (jti.isBlank() || jti.length() > MAX_TEXT_CLAIM)) {
      throw reject(InvalidTokenReason.INVALID_CLAIM, boundTenant, subject, iss);
    }
    if (jti == null && ssoIssuer == null) {
      // Our own tokens always carry one; without it a token could not be revoked on its own.
      throw reject(InvalidTokenReason.MISSING_CLAIM, null, subject, iss);
    }
    Set<String> roles = roles(jwt.getClaim(ROLES_CLAIM), boundTenant, subject, iss);
    TenantPrincipal principal = principal(jwt, iss, ssoIssuer, subject, roles, jti, exp);
    return new VerifiedToken(principal, iat, exp, ssoIssuer, key);
  }

  private TenantPrincipal principal(DecodedJWT jwt, String iss, @Nullable SsoIssuer ssoIssuer, String subject,
      Set<String> roles, @Nullable String jti, Instant exp) {
    TenantId bound = ssoIssuer == null ? null : ssoIssuer.tenant();
    Claim tenantClaim = jwt.getClaim(TENANT_CLAIM);
    TenantId claimed = null;
    if (!tenantClaim.isMissing()) {
      String text = text(tenantClaim);
      if (text == null || !TenantId.isValid(text)) {
        throw reject(InvalidTokenReason.INVALID_TENANT_CLAIM, bound, subject, iss);
      }
      claimed = TenantId.of(text);
    }
    boolean platformRole = roles.contains(TenantPrincipal.PLATFORM_ADMIN);
    if (ssoIssuer != null) {
      // The tenant comes from the issuer's binding; org_id may only confirm it.
      if (claimed != null && !claimed.equals(bound)) {
        throw new TokenRejection(InvalidTokenReason.CROSS_TENANT, bound, claimed, subject, iss);
      }
      if (platformRole) {
        // A tenant's identity provider can never make anyone a platform operator.
        throw reject(InvalidTokenReason.FORBIDDEN_ROLE, bound, subject, iss);
      }
      return new TenantPrincipal(bound, subject, roles, PrincipalKind.USER, jti, iss, exp);
    }
    Claim kindClaim = jwt.getClaim(KIND_CLAIM);
    String kind = text(kindClaim);
    if (kind == null && !kindClaim.isMissing()) {
      throw reject(InvalidTokenReason.INVALID_CLAIM, claimed, subject, iss);
    }
    if (claimed == null) {
      if (!platformRole) {
        throw reject(InvalidTokenReason.MISSING_CLAIM, null, subject, iss);
      }
      if (kind != null && !kind.equals("platform")) {
        throw reject(InvalidTokenReason.INVALID_CLAIM, null, subject, iss);
      }
      return new TenantPrincipal(null, subject, roles, PrincipalKind.PLATFORM, jti, iss, exp);
    }
    if (platformRole) {
      throw reject(InvalidTokenReason.FORBIDDEN_ROLE, claimed, subject, iss);
    }
    PrincipalKind principalKind;
    if (kind == null || kind.equals("user")) {
      principalKind = PrincipalKind.USER;
    } else if (kind.equals("service")) {
      principalKind = PrincipalKind.SERVICE;
    } else {
      throw reject(InvalidTokenReason.INVALID_CLAIM, claimed, subject, iss);
    }
    return new TenantPrincipal(claimed, subject, roles, principalKind, jti, iss, exp);
  }

  private static Set<String> roles(Claim claim, @Nullable TenantId tenant, String subject, String iss) {
    if (claim.isMissing()) {
      return Set.of();
    }
    List<Object> values = claim.isNull() ? null : claim.asList(Object.class);
    if (values == null || values.size() > MAX_ROLES) {
      throw reject(InvalidTokenReason.INVALID_CLAIM, tenant, subject, iss);
    }
    Set<String> roles = new HashSet<>(values.size() * 2);
    for (Object value : values) {
      // Strictly strings: a number or an object is not a role name, whatever Jackson would coerce it to.
      if (!(value instanceof String role) || role.isBlank() || role.length() > MAX_TEXT_CLAIM) {
        throw reject(InvalidTokenReason.INVALID_CLAIM, tenant, subject, iss);
      }
      roles.add(role);
    }
    return roles;
  }

  private static boolean audienceContains(Claim claim, String expected) {
    String single = text(claim);
    if (single != null) {
      return single.equals(expected);
    }
    if (claim.isMissing() || claim.isNull()) {
      return false;
    }
    List<Object> values = claim.asList(Object.class);
    return values != null && values.contains(expected);
  }

  private static @Nullable String text(Claim claim) {
    return claim.asString();   // null when missing, null or not a JSON string
  }

  private static @Nullable Instant instant(Claim claim) {
    // Decoding already refused non-numeric exp / nbf / iat; "exp": null is null here, and so refused.
    return claim.isMissing() || claim.isNull() ? null : claim.asInstant();
  }

  private static TokenRejection reject(InvalidTokenReason reason, @Nullable TenantId tenant, @Nullable String subject,
      String iss) {
    return new TokenRejection(reason, tenant, null, subject, iss);
  }
}
