package dev.tenancy.core.identity;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.memory.InMemoryTokenRevocationStore;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.core.spi.TokenRevocationStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and verifies tenant-aware tokens (JWTs carrying {@code org_id}, {@code sub}, {@code roles}, {@code iss},
 * {@code aud}, {@code iat}, {@code exp}, {@code jti}), and verifies the tokens of tenants' own SSO issuers.
 *
 * <pre>{@code
 * TenantTokenService tokens = TenantTokenService.builder()
 *     .issuer("https://api.example.com")
 *     .audience("tenancy")
 *     .key(TokenKey.hmac("2025-01", TokenAlgorithm.HS256, secret))
 *     .tenants(id -> tenantService.find(id).map(tenantService::info))
 *     .audit(audit)
 *     .build();
 * String token = tokens.issue(principal, Duration.ofMinutes(15));
 * TenantPrincipal caller = tokens.verify(token);          // or InvalidTokenException with a reason: a 401
 * }</pre>
 *
 * <h2>What is refused</h2>
 * The defaults are the strict ones: a token longer than {@link Builder#maxTokenLength(int)} is refused before it is
 * parsed; the key is chosen by issuer and {@code kid} (a map lookup), and the header's {@code alg} must name that
 * key's algorithm ({@code none} never does); {@code exp} and {@code iat} are required, {@code exp} in the past and
 * {@code nbf}/{@code iat} in the future beyond the leeway are refused; the audience must match; {@code org_id} must be
 * a text UUID naming an existing tenant in a serving status; {@code roles} must be an array of strings. Every refusal
 * is an {@link InvalidTokenException} with an {@link InvalidTokenReason}, recorded as {@code auth.token_rejected} in
 * the audit trail when an {@link AuditLog} is given, and never contains the token.
 *
 * <h2>Platform tokens</h2>
 * A token of this service's issuer with role {@value TenantPrincipal#PLATFORM_ADMIN} and no {@code org_id} yields a
 * {@link PrincipalKind#PLATFORM} principal, which acts in no tenant; it enters one only through
 * {@code TenantContext.asPlatform(actor, reason, tenant, …)}. A token that names a tenant, or comes from a tenant's SSO
 * issuer, can never carry that role.
 *
 * <h2>Cache, revocation, SSO</h2>
 * Verified tokens are cached until their expiry (bounded), so a signature is checked once per token; revocation (by
 * {@code jti} and per tenant), the tenant's status and an SSO issuer's binding and keys are checked again on every
 * call. See {@link #lifecycleListener()} for revoking a suspended or deleted tenant's sessions, and
 * {@link SsoIssuerRegistry} for per-tenant issuers.
 *
 * @since 0.1.0
 */
public final class TenantTokenService {

  /** The default {@link Builder#maxTokenLength(int)}: 8 KiB. */
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
  /** The default {@link Builder#leeway(Duration)}. */
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
  /** The largest {@link Builder#leeway(Duration)} accepted. */
  public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);
  /** The default {@link Builder#maxTokenLifetime(Duration)}. */
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);
  /** The default {@link Builder#cacheSize(long)}. */
  public static final long DEFAULT_CACHE_SIZE = 10_000;
  /** The default {@link Builder#jwksRefreshInterval(Duration)}. */
  public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(30);
  /** The default {@link Builder#jwksMaxAge(Duration)}. */
  public static final Duration DEFAULT_JWKS_MAX_AGE = Duration.ofMinutes(15);
  /** The default {@link Builder#jwksTimeout(Duration)}. */
  public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TenantTokenService.class);
  private static final String[] NO_ROLES = new String[0];

  private final String issuer;
  private final String audience;
  private final @Nullable TokenKey signingKey;
  private final Function<TenantId, Optional<TenantInfo>> tenants;
  private final TokenRevocationStore revocations;
  private final @Nullable SsoIssuerRegistry sso;
  private final Cache<SsoIssuer, JwksKeySet> keySets;
  private final TokenChecks checks;
  private final @Nullable Cache<String, VerifiedToken> cache;
  private final @Nullable TokenAudit audit;
  private final Duration maxLifetime;
  private final int maxTokenLength;
  private final Clock clock;

  private TenantTokenService(Builder builder, @Nullable TokenKey signingKey) {
    this.issuer = Objects.requireNonNull(builder.issuer);
    this.audience = Objects.requireNonNull(builder.audience);
    this.signingKey = signingKey;
    this.tenants = Objects.requireNonNull(builder.tenants);
    this.revocations = builder.revocations == null ? new InMemoryTokenRevocationStore(builder.clock)
        : builder.revocations;
    this.sso = builder.sso;
    this.clock = builder.clock;
    this.maxLifetime = builder.maxLifetime;
    this.maxTokenLength = builder.maxTokenLength;
    this.audit = builder.audit == null ? null : new TokenAudit(builder.audit);
    Duration timeout = builder.jwksTimeout;
    JwksClient client = new JwksClient(
        builder.httpClient == null ? JwksClient.defaultHttpClient(timeout) : builder.httpClient, timeout,
        builder.allowPlainHttpJwks);
    // One key set per binding (issuer, tenant, URL); a changed binding gets a fresh set, the old one ages out.
    this.keySets = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofDays(1)).build();
    Duration refresh = builder.jwksRefreshInterval;
    Duration maxAge = builder.jwksMaxAge;
    Map<String, VerificationKey> keys = new LinkedHashMap<>();
    builder.keys.forEach((kid, key) -> keys.put(kid, key.verificationKey()));
    this.checks = new TokenChecks(issuer, audience, keys, sso,
        binding -> keySets.get(binding, b -> new JwksKeySet(b, client, clock, refresh, maxAge)), builder.leeway);
    this.cache = builder.cacheSize == 0 ? null : Caffeine.newBuilder()
        .maximumSize(builder.cacheSize)
        .expireAfter(new UntilExpiry(clock))
        .build();
  }

  /** @return a builder; issuer, audience, at least one key and the tenant lookup are required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a token.
   *
   * @param token the token, without the {@code Bearer } prefix
   * @return who the token proves
   * @throws InvalidTokenException if the token is refused, with the reason; never any other exception for a bad token
   */
  public TenantPrincipal verify(@Nullable String token) {
    return verify(token, null, null);
  }

  /**
   * Verifies a token, with request facts for the audit event a refusal records.
   *
   * @param token the token, without the {@code Bearer } prefix
   * @param sourceAddress the client's address, or {@code null}
   * @param traceId the request's trace id, or {@code null}
   * @return who the token proves
   * @throws InvalidTokenException if the token is refused, with the reason; never any other exception for a bad token
   *     (a failing tenant lookup or revocation store propagates its own exception: verification fails closed)
   */
  public TenantPrincipal verify(@Nullable String token, @Nullable String sourceAddress, @Nullable String traceId) {
    try {
      return check(token);
    } catch (TokenRejection rejection) {
      LOG.debug("token rejected: {}", rejection.reason);
      if (audit != null) {
        audit.rejected(rejection, tenants, sourceAddress, traceId);
      }
      throw rejection.toException();
    }
  }

  private TenantPrincipal check(@Nullable String token) {
    if (token == null || token.isEmpty()) {
      throw TokenRejection.of(InvalidTokenReason.MISSING);
    }
    // Before anything parses it: java-jwt decodes header and payload JSON before any signature is checked.
    if (token.length() > maxTokenLength) {
      throw TokenRejection.of(InvalidTokenReason.TOO_LONG);
    }
    Instant now = clock.instant();
    if (cache != null) {
      VerifiedToken hit = cache.getIfPresent(token);
      if (hit != null) {
        if (now.isBefore(hit.expiresAt()) && stillTrusted(hit)) {
          return admit(hit);
        }
        cache.invalidate(token);
      }
    }
    VerifiedToken verified = checks.verify(token, now);
    TenantPrincipal principal = admit(verified);
    if (cache != null) {
      cache.put(token, verified);
    }
    return principal;
  }

  /** Whether an SSO token's issuer is still bound to its tenant and its key still in the issuer's set. */
  private boolean stillTrusted(VerifiedToken token) {
    SsoIssuer binding = token.sso();
    if (binding == null) {
      return true;   // our own keys never change during the service's life
    }
    if (sso == null || !binding.equals(sso.lookup(binding.issuer()))) {
      return false;
    }
    JwksKeySet keys = keySets.getIfPresent(binding);
    return keys != null && keys.current(token.key().kid()) == token.key();
  }

  /** The checks that can change after a token was verified, so they run on every call, cache hit or not. */
  private TenantPrincipal admit(VerifiedToken token) {
    TenantPrincipal principal = token.principal();
    String tokenId = principal.tokenId();
    TenantId tenant = principal.tenant();
    if (tenant != null) {
      Optional<TenantInfo> info = tenants.apply(tenant);
      if (info.isEmpty()) {
        throw rejectVerified(InvalidTokenReason.UNKNOWN_TENANT, null, principal);
      }
      if (!info.get().status().isServing()) {
        throw rejectVerified(InvalidTokenReason.TENANT_NOT_SERVING, tenant, principal);
      }
      Optional<Instant> notBefore = revocations.findTenantNotBefore(tenant);
      if (notBefore.isPresent() && !token.issuedAt().isAfter(notBefore.get())) {
        throw rejectVerified(InvalidTokenReason.TENANT_SESSIONS_REVOKED, tenant, principal);
      }
    }
    if (tokenId != null && revocations.isTokenRevoked(tokenId)) {
      throw rejectVerified(InvalidTokenReason.TOKEN_REVOKED, tenant, principal);
    }
    return principal;
  }

  private static TokenRejection rejectVerified(InvalidTokenReason reason, @Nullable TenantId tenant,
      TenantPrincipal principal) {
    return new TokenRejection(reason, tenant, null, principal.subject(), principal.issuer());
  }

  /**
   * Issues a token for a principal, signed with the signing key: {@code iss} and {@code aud} of this service,
   * {@code sub}, {@code org_id} (unless a platform principal), {@code roles}, {@code kind}, {@code iat} = now,
   * {@code exp} = now + ttl, but never after the principal's own {@code expiresAt} (an API key's expiry), and a
   * random {@code jti}. Turning an API key into a token is
   * {@code issue(apiKeys.authenticate(key), Duration.ofMinutes(15))}.
   *
   * @param principal who the token is for
   * @param ttl how long it is valid; positive, at most {@link Builder#maxTokenLifetime(Duration)}
   * @return the signed token
   * @throws IllegalStateException if the service has no signing key
   * @throws IllegalArgumentException if the ttl is not positive or too long, or the principal's proof has expired
   */
  public String issue(TenantPrincipal principal, Duration ttl) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(ttl, "ttl");
    if (signingKey == null) {
      throw new IllegalStateException("This token service only verifies: give the builder a key with a private part "
          + "(or an HMAC key) to issue tokens");
    }
    if (ttl.isNegative() || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(maxLifetime) > 0) {
      throw new IllegalArgumentException("A token's ttl must be between 1 second and " + maxLifetime
          + " (maxTokenLifetime), was " + ttl + "; short-lived tokens limit what a stolen one is worth");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(ttl);
    Instant proofExpires = principal.expiresAt();
    if (proofExpires != null && proofExpires.isBefore(expiresAt)) {
      // A token exchanged for an API key (or derived from another token) never outlives the proof behind it.
      if (!proofExpires.isAfter(now)) {
        throw new IllegalArgumentException("The principal's proof expired at " + proofExpires
            + "; authenticate again before issuing a token");
      }
      expiresAt = proofExpires.truncatedTo(ChronoUnit.SECONDS);
    }
    JWTCreator.Builder token = JWT.create()
        .withKeyId(signingKey.kid())
        .withIssuer(issuer)
        .withAudience(audience)
        .withSubject(principal.subject())
        .withIssuedAt(now)
        .withExpiresAt(expiresAt)
        .withJWTId(UUID.randomUUID().toString())
        .withArrayClaim(TokenChecks.ROLES_CLAIM, principal.roles().stream().sorted().toList().toArray(NO_ROLES))
        .withClaim(TokenChecks.KIND_CLAIM, principal.kind().name().toLowerCase(Locale.ROOT));
    TenantId tenant = principal.tenant();
    if (tenant != null) {
      token.withClaim(TokenChecks.TENANT_CLAIM, tenant.toString());
    }
    return token.sign(signingKey.verificationKey().jwt());
  }

  /**
   * Revokes the token a principal was verified from; it is refused from now on, even if cached.
   *
   * @param principal a principal returned by {@link #verify}
   * @throws IllegalArgumentException if the principal did not come from a token with a {@code jti} and {@code exp}
   */
  public void revoke(TenantPrincipal principal) {
    Objects.requireNonNull(principal, "principal");
    String tokenId = principal.tokenId();
    Instant expiresAt = principal.expiresAt();
    if (tokenId == null || expiresAt == null) {
      throw new IllegalArgumentException("Only a principal verified from a token with jti and exp can be revoked; "
          + "revoke the tenant's sessions (revokeTenantSessions) to reach tokens without jti");
    }
    revocations.revokeToken(tokenId, expiresAt);
    if (audit != null) {
      audit.tokenRevoked(principal);
    }
  }

  /**
   * Revokes every session of a tenant: each of its tokens issued up to now is refused from now on, cached ones
   * included. Tokens issued later (in the next second or after: {@code iat} has whole seconds) are accepted.
   *
   * @param tenant the tenant
   */
  public void revokeTenantSessions(TenantId tenant) {
    revokeTenantSessions(tenant, "requested");
  }

  private void revokeTenantSessions(TenantId tenant, String why) {
    Objects.requireNonNull(tenant, "tenant");
    revocations.revokeTenantSessions(tenant, clock.instant());
    if (audit != null) {
      audit.sessionsRevoked(tenant, why);
    }
  }

  /**
   * A listener for {@code TenantService.Builder.listener} that revokes every session of a tenant when it is suspended,
   * cancelled, deleted or purged. A suspended tenant's tokens are refused anyway (its status is checked on every call);
   * the revocation makes sure they stay refused when the tenant is reactivated.
   *
   * @return the listener
   */
  public TenantLifecycleListener lifecycleListener() {
    return (TenantEvent event) -> {
      TenantStatus status = event.tenant().status();
      boolean revoke = event.type() == TenantEvent.Type.PURGED
          || (event.type() == TenantEvent.Type.STATUS_CHANGED && (status == TenantStatus.SUSPENDED
          || status == TenantStatus.CANCELLED || status == TenantStatus.DELETED));
      if (revoke) {
        revokeTenantSessions(event.tenant().id(), event.type() == TenantEvent.Type.PURGED ? "purged"
            : status.name().toLowerCase(Locale.ROOT));
      }
    };
  }

  /** @return the issuer ({@code iss}) of this service's tokens */
  public String issuer() {
    return issuer;
  }

  /** @return the audience ({@code aud}) this service's tokens carry and require */
  public String audience() {
    return audience;
  }

  /** @return how many verified tokens are cached right now; for tests */
  long cachedTokens() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  /** A cache entry lives until its token's expiry, never longer. */
  private static final class UntilExpiry implements Expiry<String, VerifiedToken> {
    private final Clock clock;

    UntilExpiry(Clock clock) {
      this.clock = clock;
    }

    @Override
    public long expireAfterCreate(String key, VerifiedToken value, long currentTime) {
      long millis = value.expiresAt().toEpochMilli() - clock.millis();
      return millis <= 0 ? 0 : Duration.ofMillis(millis).toNanos();
    }

    @Override
    public long expireAfterUpdate(String key, VerifiedToken value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, VerifiedToken value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /**
   * Configures a {@link TenantTokenService}. Each option may be set once; {@link #build()} checks that the result is
   * usable and says what to fix if not.
   */
  public static final class Builder {
    private @Nullable String issuer;
    private @Nullable String audience;
    private final Map<String, TokenKey> keys = new LinkedHashMap<>();
    private @Nullable String signingKid;
    private @Nullable Function<TenantId, Optional<TenantInfo>> tenants;
    private @Nullable TokenRevocationStore revocations;
    private @Nullable SsoIssuerRegistry sso;
    private @Nullable AuditLog audit;
    private @Nullable HttpClient httpClient;
    private Duration leeway = DEFAULT_LEEWAY;
    private Duration maxLifetime = DEFAULT_MAX_TOKEN_LIFETIME;
    private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
    private long cacheSize = DEFAULT_CACHE_SIZE;
    private Duration jwksRefreshInterval = DEFAULT_JWKS_REFRESH_INTERVAL;
    private Duration jwksMaxAge = DEFAULT_JWKS_MAX_AGE;
    private Duration jwksTimeout = DEFAULT_JWKS_TIMEOUT;
    private boolean allowPlainHttpJwks;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * @param issuer the {@code iss} of this service's tokens, e.g. the API's base URL; required, not blank
     * @return this builder
     */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /**
     * @param audience the {@code aud} this service's tokens carry and require, e.g. {@code tenancy}; required
     * @return this builder
     */
    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /**
     * Adds a key. Several keys allow rotation: tokens name theirs by {@code kid}; only one signs.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(TokenKey key) {
      Objects.requireNonNull(key, "key");
      if (keys.putIfAbsent(key.kid(), key) != null) {
        throw new TenancyConfigurationException("Two keys have kid '" + key.kid() + "'; give each key its own id");
      }
      return this;
    }

    /**
     * @param kid the id of the key that signs new tokens; needed only when several keys can sign
     * @return this builder
     */
    public Builder signingKey(String kid) {
      this.signingKid = Objects.requireNonNull(kid, "kid");
      return this;
    }

    /**
     * The tenant lookup, called on every verification (cached tokens too) so that a tenant suspended a moment ago is
     * refused at once: make it cheap, e.g. an in-memory view kept current by lifecycle events.
     *
     * @param lookup the tenant by id, with its current status; e.g.
     *     {@code id -> tenantService.find(id).map(tenantService::info)}
     * @return this builder
     */
    public Builder tenants(Function<TenantId, Optional<TenantInfo>> lookup) {
      this.tenants = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * @param store where revocations are kept; an {@link InMemoryTokenRevocationStore} by default, which is right for
     *     one application instance only
     * @return this builder
     */
    public Builder revocations(TokenRevocationStore store) {
      this.revocations = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param registry the per-tenant SSO issuers whose tokens are accepted; none by default
     * @return this builder
     */
    public Builder ssoIssuers(SsoIssuerRegistry registry) {
      this.sso = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * @param log where every refusal and revocation is recorded
     * @return this builder
     */
    public Builder audit(AuditLog log) {
      this.audit = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * @param leeway how far {@code exp}, {@code nbf} and {@code iat} may be off to absorb clock skew; 30 s by default,
     *     at most {@link #MAX_LEEWAY}
     * @return this builder
     */
    public Builder leeway(Duration leeway) {
      this.leeway = Objects.requireNonNull(leeway, "leeway");
      return this;
    }

    /**
     * @param lifetime the longest ttl {@link #issue} accepts; 24 h by default
     * @return this builder
     */
    public Builder maxTokenLifetime(Duration lifetime) {
      this.maxLifetime = Objects.requireNonNull(lifetime, "lifetime");
      return this;
    }

    /**
     * @param length the longest token accepted, in characters, checked before any parsing; 8 KiB by default
     * @return this builder
     */
    public Builder maxTokenLength(int length) {
      this.maxTokenLength = length;
      return this;
    }

    /**
     * @param size how many verified tokens are cached; 0 turns the cache off; {@value #DEFAULT_CACHE_SIZE} by default
     * @return this builder
     */
    public Builder cacheSize(long size) {
      this.cacheSize = size;
      return this;
    }

    /**
     * @param interval the least time between two fetches of one SSO issuer's keys, however many tokens name unknown
     *     kids; 30 s by default
     * @return this builder
     */
    public Builder jwksRefreshInterval(Duration interval) {
      this.jwksRefreshInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * @param maxAge how long fetched keys are used before they are fetched again; 15 min by default
     * @return this builder
     */
    public Builder jwksMaxAge(Duration maxAge) {
      this.jwksMaxAge = Objects.requireNonNull(maxAge, "maxAge");
      return this;
    }

    /**
     * @param timeout how long a JWKS fetch may take (connect and response); 5 s by default
     * @return this builder
     */
    public Builder jwksTimeout(Duration timeout) {
      this.jwksTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * @param client the HTTP client for JWKS fetches (e.g. with a proxy); it should not follow redirects
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * @param allow whether JWKS URLs may be plain {@code http}; {@code false} by default — only for local tests
     * @return this builder
     */
    public Builder allowPlainHttpJwks(boolean allow) {
      this.allowPlainHttpJwks = allow;
      return this;
    }

    /**
     * @param clock the time tokens are checked against and issued at; the system clock by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Checks the configuration and builds the service.
     *
     * @return the service
     * @throws TenancyConfigurationException naming what to fix: a missing or blank issuer or audience, no key, an
     *     unknown or non-signing signing key, several signing keys and none chosen, no tenant lookup, or an option out
     *     of range
     */
    public TenantTokenService build() {
      if (issuer == null || issuer.isBlank()) {
        throw new TenancyConfigurationException("TenantTokenService needs an issuer: call issuer(\"https://api."
            + "example.com\"); without one, tokens of any issuer would be accepted");
      }
      if (audience == null || audience.isBlank()) {
        throw new TenancyConfigurationException("TenantTokenService needs an audience: call audience(\"tenancy\"); "
            + "without one, tokens meant for other services would be accepted");
      }
      if (keys.isEmpty()) {
        throw new TenancyConfigurationException("TenantTokenService needs at least one key: call key(TokenKey.hmac("
            + "kid, TokenAlgorithm.HS256, secret)), key(TokenKey.rsa(...)) or key(TokenKey.ec(...))");
      }
      if (tenants == null) {
        throw new TenancyConfigurationException("TenantTokenService needs a tenant lookup to check org_id: call "
            + "tenants(id -> tenantService.find(id).map(tenantService::info))");
      }
      if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
        throw new TenancyConfigurationException("leeway must be between 0 and " + MAX_LEEWAY + ", was " + leeway
            + "; it only absorbs clock skew between servers");
      }
      if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new TenancyConfigurationException("maxTokenLifetime must be at least 1 second, was " + maxLifetime);
      }
      if (maxTokenLength < 64 || maxTokenLength > 1024 * 1024) {
        throw new TenancyConfigurationException("maxTokenLength must be between 64 and 1048576 characters, was "
            + maxTokenLength + "; a typical token is under 1 KiB");
      }
      if (cacheSize < 0) {
        throw new TenancyConfigurationException("cacheSize must be zero (no cache) or positive, was " + cacheSize);
      }
      requirePositive(jwksRefreshInterval, "jwksRefreshInterval");
      requirePositive(jwksMaxAge, "jwksMaxAge");
      requirePositive(jwksTimeout, "jwksTimeout");
      return new TenantTokenService(this, signingKey());
    }

    private @Nullable TokenKey signingKey() {
      if (signingKid != null) {
        TokenKey key = keys.get(signingKid);
        if (key == null) {
          throw new TenancyConfigurationException("signingKey('" + signingKid + "') names no configured key; "
              + "configured: " + keys.keySet());
        }
        if (!key.canSign()) {
          throw new TenancyConfigurationException("signingKey('" + signingKid + "') has no private key; configure it "
              + "with its private key, or name another key");
        }
        return key;
      }
      TokenKey only = null;
      for (TokenKey key : keys.values()) {
        if (key.canSign()) {
          if (only != null) {
            throw new TenancyConfigurationException("Several keys can sign (" + only.kid() + ", " + key.kid()
                + ", …); choose the one for new tokens with signingKey(kid)");
          }
          only = key;
        }
      }
      return only;   // null: a service that only verifies
    }

    private static void requirePositive(Duration value, String name) {
      if (value.isNegative() || value.isZero()) {
        throw new TenancyConfigurationException(name + " must be positive, was " + value);
      }
    }
  }
}
