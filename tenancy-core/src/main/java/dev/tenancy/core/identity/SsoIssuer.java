package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's own OpenID Connect issuer: tokens whose {@code iss} is {@link #issuer()} are verified with the keys
 * published at {@link #jwksUri()} and act in {@link #tenant()}, and only there.
 *
 * <p>Stored in the tenant's configuration settings under {@value #ISSUER_SETTING}, {@value #JWKS_URL_SETTING} and
 * (optionally) {@value #AUDIENCE_SETTING}; {@link #fromTenant(Tenant)} reads them.
 *
 * @param tenant the tenant every token of this issuer acts in
 * @param issuer the exact {@code iss} value the tenant's identity provider puts in its tokens
 * @param jwksUri where the provider publishes its signing keys (JWKS, RFC 7517); {@code https}, or {@code http} only
 *     where the token service allows it
 * @param audience the {@code aud} the provider's tokens must contain (usually the client id registered there), or
 *     {@code null} for the token service's own audience
 * @since 0.1.0
 */
public record SsoIssuer(TenantId tenant, String issuer, URI jwksUri, @Nullable String audience) {

  /** The tenant setting that holds the issuer ({@code iss}). */
  public static final String ISSUER_SETTING = "sso.issuer";
  /** The tenant setting that holds the JWKS URL. */
  public static final String JWKS_URL_SETTING = "sso.jwks-url";
  /** The tenant setting that holds the expected audience (optional). */
  public static final String AUDIENCE_SETTING = "sso.audience";

  private static final int MAX_TEXT = 1024;

  /**
   * Checks every part.
   *
   * @throws TenancyConfigurationException if the issuer or audience is blank or too long, or the JWKS URL is not an
   *     absolute http(s) URL with a host and without user info or fragment
   */
  public SsoIssuer {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(jwksUri, "jwksUri");
    if (issuer.isBlank() || issuer.length() > MAX_TEXT) {
      throw new TenancyConfigurationException("SSO issuer of tenant " + tenant + ": the issuer must be 1 to "
          + MAX_TEXT + " characters, exactly as the identity provider writes it into iss");
    }
    String scheme = jwksUri.getScheme() == null ? "" : jwksUri.getScheme().toLowerCase(Locale.ROOT);
    if (!jwksUri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || jwksUri.getHost() == null
        || jwksUri.getRawUserInfo() != null || jwksUri.getRawFragment() != null) {
      throw new TenancyConfigurationException("SSO issuer of tenant " + tenant + ": the JWKS URL must be an absolute "
          + "https URL with a host and without user info or fragment, e.g. https://idp.example.com/.well-known/jwks.json");
    }
    if (audience != null && (audience.isBlank() || audience.length() > MAX_TEXT)) {
      throw new TenancyConfigurationException("SSO issuer of tenant " + tenant + ": the audience must be 1 to "
          + MAX_TEXT + " characters (the client id registered at the identity provider), or absent");
    }
  }

  /**
   * Reads a tenant's SSO issuer from its configuration settings.
   *
   * @param tenant a stored tenant
   * @return the issuer, or empty if the tenant names none (neither {@value #ISSUER_SETTING} nor
   *     {@value #JWKS_URL_SETTING} set)
   * @throws TenancyConfigurationException if only one of the two is set, or a value is invalid
   */
  public static Optional<SsoIssuer> fromTenant(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return fromSettings(tenant.id(), tenant.configuration().settings());
  }

  /**
   * Reads an SSO issuer from configuration settings.
   *
   * @param tenant the tenant the settings belong to
   * @param settings the tenant's settings
   * @return the issuer, or empty if the settings name none
   * @throws TenancyConfigurationException if only one of {@value #ISSUER_SETTING} and {@value #JWKS_URL_SETTING} is
   *     set, or a value is invalid
   */
  public static Optional<SsoIssuer> fromSettings(TenantId tenant, Map<String, String> settings) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(settings, "settings");
    String issuer = settings.get(ISSUER_SETTING);
    String jwks = settings.get(JWKS_URL_SETTING);
    if (issuer == null && jwks == null) {
      return Optional.empty();
    }
    if (issuer == null || jwks == null) {
      throw new TenancyConfigurationException("SSO of tenant " + tenant + ": set both " + ISSUER_SETTING + " and "
          + JWKS_URL_SETTING + ", or neither");
    }
    URI uri;
    try {
      uri = new URI(jwks);
    } catch (URISyntaxException e) {
      throw new TenancyConfigurationException("SSO of tenant " + tenant + ": " + JWKS_URL_SETTING
          + " is not a URL; give the identity provider's JWKS address, e.g. https://idp.example.com/jwks.json");
    }
    return Optional.of(new SsoIssuer(tenant, issuer, uri, settings.get(AUDIENCE_SETTING)));
  }
}
