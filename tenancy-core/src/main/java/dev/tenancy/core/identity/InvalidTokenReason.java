package dev.tenancy.core.identity;

import java.util.Locale;

/**
 * Why {@link TenantTokenService#verify} refused a token. Every reason is a 401 ({@code invalid-token}) to the caller;
 * the distinction is for the audit trail and for operators, who see it as the {@code reason} detail of an
 * {@code auth.token_rejected} event.
 *
 * @since 0.1.0
 */
public enum InvalidTokenReason {
  /** No token, or an empty one. */
  MISSING("no token was given"),
  /** Longer than the configured cap; refused before any parsing. */
  TOO_LONG("the token is longer than allowed"),
  /** Not three base64url parts of JSON, a claim of the wrong JSON type, or a {@code crit} header. */
  MALFORMED("the token is not a well-formed JWT"),
  /** The {@code iss} claim is missing or names neither this service nor a registered SSO issuer. */
  WRONG_ISSUER("the token's issuer is not trusted"),
  /** The {@code kid} names no configured key (or no key of the issuer's JWKS, even after a refresh). */
  UNKNOWN_KEY("the token's key id names no trusted key"),
  /** The issuer's JWKS could not be fetched and no keys of it are known. */
  KEYS_UNAVAILABLE("the issuer's keys could not be fetched"),
  /** The header's {@code alg} is not the algorithm the selected key is configured with ({@code none} included). */
  ALGORITHM_MISMATCH("the token's algorithm is not the one its key is configured with"),
  /** The signature does not match: tampered, forged, or signed with another key. */
  BAD_SIGNATURE("the token's signature is invalid"),
  /** {@code exp} is in the past (beyond the leeway). */
  EXPIRED("the token has expired"),
  /** {@code nbf} or {@code iat} is in the future (beyond the leeway). */
  NOT_YET_VALID("the token is not valid yet"),
  /** The {@code aud} claim is missing or does not contain the expected audience. */
  WRONG_AUDIENCE("the token is meant for another audience"),
  /** A required claim ({@code exp}, {@code iat}, {@code sub}, {@code jti}, {@code org_id}) is missing or null. */
  MISSING_CLAIM("the token lacks a required claim"),
  /** A claim has the wrong shape: {@code roles} not an array of strings, an unknown {@code kind}, a blank subject. */
  INVALID_CLAIM("a claim of the token is invalid"),
  /** The tenant claim ({@code org_id}) is not a text UUID. */
  INVALID_TENANT_CLAIM("the token's tenant claim is not a tenant id"),
  /** A token that names a tenant (or comes from a tenant's SSO issuer) carries the {@code platform_admin} role. */
  FORBIDDEN_ROLE("the token carries a role it can never hold"),
  /** The tenant does not exist. */
  UNKNOWN_TENANT("the token's tenant does not exist"),
  /** The tenant exists but is not serving (suspended, cancelled, deleted, provisioning). */
  TENANT_NOT_SERVING("the token's tenant is not serving requests"),
  /** A token from one tenant's SSO issuer names another tenant in {@code org_id}. */
  CROSS_TENANT("the token's tenant claim contradicts its issuer's tenant"),
  /** The token's {@code jti} was revoked. */
  TOKEN_REVOKED("the token was revoked"),
  /** Every session of the token's tenant issued up to some instant was revoked, this one included. */
  TENANT_SESSIONS_REVOKED("the sessions of the token's tenant were revoked");

  private final String description;

  InvalidTokenReason(String description) {
    this.description = description;
  }

  /** @return a short sentence for messages; never contains anything from the token */
  public String description() {
    return description;
  }

  /** @return the reason as it appears in audit details, e.g. {@code bad_signature} */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
