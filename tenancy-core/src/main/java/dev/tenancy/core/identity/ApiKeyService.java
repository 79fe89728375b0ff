package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.ApiKeyRecord;
import dev.tenancy.core.spi.ApiKeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * API keys per tenant and per subject: created with 256 random bits, shown once, stored only as a hash, identified
 * by a visible id, with roles, expiry, rotation and revocation — and exchanged for a {@link TenantPrincipal}.
 *
 * <pre>{@code
 * ApiKeyService keys = ApiKeyService.builder()
 *     .store(new InMemoryApiKeyStore())          // or JdbcApiKeyStore from tenancy-jdbc
 *     .tenants(tenantService)                    // who exists, and who is serving
 *     .roles(roleCatalog)
 *     .auditLog(auditLog)
 *     .build();
 *
 * IssuedApiKey issued = keys.create(admin, NewApiKey.of(tenant, "ci-bot", Set.of("agent")));
 * respond(issued.secret());                     // shown once; only its SHA-256 is stored
 *
 * TenantPrincipal caller = keys.authenticate(presentedKey);      // InvalidApiKeyException → 401
 * String token = tokenService.issue(caller, Duration.ofMinutes(15));
 * }</pre>
 *
 * <h2>Authentication</h2>
 * {@link #authenticate} checks the format (length first), looks the key up by its id, compares the SHA-256 of the
 * presented text with the stored hash in constant time ({@link MessageDigest#isEqual}), and only then tells revoked,
 * expired and non-serving-tenant keys apart — so without the secret nobody learns a key's state. The store is read
 * every time: no cache can keep a revoked key alive. Every refusal is audited ({@code auth.api_key_rejected}).
 *
 * <h2>Who may do what</h2>
 * <ul>
 *   <li>{@link #create}: a platform principal, or a principal of the key's tenant holding {@code api_keys:manage}
 *       — and, either way, allowed to grant every role of the key ({@link RoleCatalog#checkGrant}). A refused grant
 *       is audited ({@code api_key.grant_refused}).</li>
 *   <li>{@link #rotate}, {@link #revoke}: a platform principal, the key's own subject, or a principal of the key's
 *       tenant holding {@code api_keys:manage}. Another tenant's key is reported as not found.</li>
 *   <li>{@link #createPlatformKey}: only through that explicit method; no grant can produce a platform key.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class ApiKeyService {

  private static final int MAX_ID_ATTEMPTS = 5;

  private final ApiKeyStore store;
  private final Function<TenantId, Optional<TenantInfo>> tenants;
  private final RoleCatalog roles;
  private final @Nullable AuditLog audit;
  private final Clock clock;
  private final SecureRandom random;

  private ApiKeyService(Builder builder, ApiKeyStore store, Function<TenantId, Optional<TenantInfo>> tenants) {
    this.store = store;
    this.tenants = tenants;
    this.roles = builder.roles;
    this.audit = builder.audit;
    this.clock = builder.clock;
    this.random = builder.random;
  }

  /** @return a builder; the store and the tenant lookup are required */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- creating

  /**
   * Creates a tenant's API key.
   *
   * @param actor who creates it (see the class comment for who may)
   * @param request the tenant, subject, name, roles and expiry
   * @return the key with its secret, to hand out once
   * @throws AccessDeniedException if the actor may not create keys in the tenant or grant one of the roles
   * @throws TenantNotFoundException if the tenant does not exist
   * @throws IllegalArgumentException if the expiry is not in the future
   */
  public IssuedApiKey create(TenantPrincipal actor, NewApiKey request) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(request, "request");
    Instant now = clock.instant();
    TenantInfo tenant = requireTenant(request.tenant());
    try {
      if (!actor.isPlatform()) {
        requireManage(actor, tenant);
      }
      roles.checkGrant(actor, tenant, request.roles());
    } catch (AccessDeniedException refused) {
      record(IdentityAudit.grantRefused(actor, tenant.id(), request.roles(), refused, "api_key.grant_refused"));
      throw refused;
    }
    requireFuture(request.expiresAt(), now);
    return issue(actor, request.tenant(), request.subject(), request.name(), request.roles(), now,
        request.expiresAt());
  }

  /**
   * Creates a platform key: role {@value TenantPrincipal#PLATFORM_ADMIN}, no tenant. Call it only where the
   * platform itself acts — at start-up, or for a verified platform principal ({@link #createPlatformKey(
   * TenantPrincipal, String, String, Instant)} records who).
   *
   * @param subject the operator or client the key belongs to
   * @param name a label for people
   * @param expiresAt when it stops working, or {@code null} for never
   * @return the key with its secret, to hand out once
   */
  public IssuedApiKey createPlatformKey(String subject, String name, @Nullable Instant expiresAt) {
    Instant now = clock.instant();
    requireFuture(expiresAt, now);
    return issue(null, null, subject, name, Set.of(TenantPrincipal.PLATFORM_ADMIN), now, expiresAt);
  }

  /**
   * Creates a platform key on behalf of a platform principal.
   *
   * @param actor a platform principal
   * @param subject the operator or client the key belongs to
   * @param name a label for people
   * @param expiresAt when it stops working, or {@code null} for never
   * @return the key with its secret, to hand out once
   * @throws AccessDeniedException with {@link AccessDeniedException.Reason#PLATFORM_ONLY} for a tenant principal
   */
  public IssuedApiKey createPlatformKey(TenantPrincipal actor, String subject, String name,
      @Nullable Instant expiresAt) {
    Objects.requireNonNull(actor, "actor");
    if (!actor.isPlatform()) {
      AccessDeniedException refused = new AccessDeniedException(AccessDeniedException.Reason.PLATFORM_ONLY, null,
          "'" + actor.subject() + "' is a tenant's principal; only platform principals create platform keys");
      record(IdentityAudit.grantRefused(actor, actor.tenant(), Set.of(TenantPrincipal.PLATFORM_ADMIN), refused,
          "api_key.grant_refused"));
      throw refused;
    }
    Instant now = clock.instant();
    requireFuture(expiresAt, now);
    return issue(actor, null, subject, name, Set.of(TenantPrincipal.PLATFORM_ADMIN), now, expiresAt);
  }

  /**
   * Registers a platform key generated elsewhere (for example given to the application in an environment variable),
   * so that it authenticates; only its hash is stored. Importing the same key again changes nothing, so this can run
   * at every start.
   *
   * @param key the full key text, {@code tny_<id>_<secret>} — generate it with {@link #createPlatformKey} once, or
   *     with 32 bytes from a cryptographic random source; never make one up by hand
   * @param subject the operator or client the key belongs to
   * @param name a label for people
   * @return the stored key
   * @throws IllegalArgumentException if the text is not a well-formed key, or its id is taken by another key
   */
  public ApiKey importPlatformKey(String key, String subject, String name) {
    Objects.requireNonNull(key, "key");
    String id = ApiKeyFormat.idOf(key);
    if (id == null) {
      throw new IllegalArgumentException("Not a well-formed API key: a key reads tny_<8 characters a-z0-9>_<43 "
          + "base64url characters>");
    }
    byte[] hash = ApiKeyFormat.hash(key);
    ApiKey metadata = new ApiKey(id, null, subject, name, Set.of(TenantPrincipal.PLATFORM_ADMIN), clock.instant(),
        null, null);
    if (store.insert(new ApiKeyRecord(metadata, hash))) {
      record(IdentityAudit.keyChanged("api_key.created", null, metadata, metadata.createdAt()));
      return metadata;
    }
    ApiKeyRecord existing = store.findById(id).orElseThrow(() -> new IllegalStateException(
        "API key " + id + " was reported taken but cannot be read; check the ApiKeyStore"));
    if (!existing.key().isPlatform() || !MessageDigest.isEqual(existing.secretHash(), hash)) {
      throw new IllegalArgumentException("The id of key " + ApiKeyFormat.masked(id) + " is taken by another key; "
          + "generate a new platform key");
    }
    return existing.key();
  }

  // ---------------------------------------------------------------- changing

  /**
   * Replaces a key by a new one for the same tenant, subject, name and roles (and, if the old key had an expiry, the
   * same lifetime from now). The old key keeps working until {@code graceUntil} — time to deploy the new one — or is
   * revoked at once without a grace period.
   *
   * @param actor who rotates (see the class comment for who may)
   * @param keyId the key to replace
   * @param graceUntil until when the old key keeps working, or {@code null} to revoke it now
   * @return the new key with its secret, to hand out once
   * @throws ApiKeyNotFoundException if there is no such key in the actor's tenant
   * @throws AccessDeniedException if the actor may not rotate it, or (for another subject's key) grant its roles
   * @throws InvalidApiKeyException if the key is already revoked or expired (create a new one instead)
   * @throws IllegalArgumentException if the grace period does not end in the future
   */
  public IssuedApiKey rotate(TenantPrincipal actor, String keyId, @Nullable Instant graceUntil) {
    Instant now = clock.instant();
    ApiKey old = requireManageable(actor, keyId);
    if (old.revokedAt() != null) {
      throw new InvalidApiKeyException(InvalidApiKeyException.Reason.REVOKED, old.id());
    }
    if (!old.isActiveAt(now)) {
      throw new InvalidApiKeyException(InvalidApiKeyException.Reason.EXPIRED, old.id());
    }
    if (graceUntil != null && !graceUntil.isAfter(now)) {
      throw new IllegalArgumentException("The grace period must end in the future (was " + graceUntil
          + "); pass null to revoke the old key at once");
    }
    if (!old.isPlatform() && !actor.isPlatform() && !actor.subject().equals(old.subject())) {
      TenantInfo tenant = requireTenant(Objects.requireNonNull(old.tenant()));
      try {
        roles.checkGrant(actor, tenant, old.roles());
      } catch (AccessDeniedException refused) {
        record(IdentityAudit.grantRefused(actor, tenant.id(), old.roles(), refused, "api_key.grant_refused"));
        throw refused;
      }
    }
    Instant expiresAt = old.expiresAt() == null ? null
        : now.plus(Duration.between(old.createdAt(), old.expiresAt()));
    IssuedApiKey replacement = issue(actor, old.tenant(), old.subject(), old.name(), old.roles(), now, expiresAt);
    // The new key is stored before the old one is cut short: a crash in between leaves two working keys, never none.
    ApiKey ended = (graceUntil == null ? store.revoke(old.id(), now) : store.expireBy(old.id(), graceUntil))
        .map(ApiKeyRecord::key).orElse(old);
    record(IdentityAudit.keyRotated(actor, ended, replacement.id(), graceUntil, now));
    return replacement;
  }

  /**
   * Revokes a key: the next authentication with it fails, on every instance sharing the store. Revoking a revoked
   * key changes nothing.
   *
   * @param actor who revokes (see the class comment for who may)
   * @param keyId the key
   * @return the key as stored afterwards
   * @throws ApiKeyNotFoundException if there is no such key in the actor's tenant
   * @throws AccessDeniedException if the actor may not revoke it
   */
  public ApiKey revoke(TenantPrincipal actor, String keyId) {
    Instant now = clock.instant();
    ApiKey key = requireManageable(actor, keyId);
    ApiKey revoked = store.revoke(key.id(), now).map(ApiKeyRecord::key)
        .orElseThrow(() -> new ApiKeyNotFoundException(keyId));
    if (key.revokedAt() == null) {
      record(IdentityAudit.keyChanged("api_key.revoked", actor, revoked, now));
    }
    return revoked;
  }

  /**
   * Revokes every key of a tenant — when the tenant is deleted or its credentials are compromised. Suspension needs
   * no revocation: a suspended tenant's keys are refused while it does not serve.
   *
   * @param tenant the tenant
   * @return how many keys were revoked now
   */
  public int revokeAll(TenantId tenant) {
    Instant now = clock.instant();
    int revoked = store.revokeAll(Objects.requireNonNull(tenant, "tenant"), now);
    record(IdentityAudit.tenantKeysRevoked(tenant, revoked, now));
    return revoked;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Lists keys without their secrets: a platform principal sees any tenant's keys (or, with {@code null}, the platform
   * keys); a tenant principal with {@code api_keys:manage} sees its tenant's keys, any other only its own.
   *
   * @param actor who asks
   * @param tenant whose keys, or {@code null} for the platform keys
   * @return the keys, oldest first, revoked and expired ones included
   * @throws AccessDeniedException if a tenant principal asks for another tenant's keys or the platform keys
   */
  public List<ApiKey> list(TenantPrincipal actor, @Nullable TenantId tenant) {
    Objects.requireNonNull(actor, "actor");
    boolean all = actor.isPlatform();
    if (!all) {
      if (tenant == null || !tenant.equals(actor.tenant())) {
        throw new AccessDeniedException(AccessDeniedException.Reason.CROSS_TENANT, null, "'" + actor.subject()
            + "' can list only its own tenant's keys");
      }
      all = RoleCatalog.allows(roles.permissionsOf(actor, requireTenant(tenant).configuration()),
          RoleCatalog.MANAGE_API_KEYS);
    }
    boolean everyKey = all;
    return store.findByTenant(tenant).stream()
        .map(ApiKeyRecord::key)
        .filter(key -> everyKey || key.subject().equals(actor.subject()))
        .toList();
  }

  // ---------------------------------------------------------------- authenticating

  /**
   * Exchanges a presented key for the principal it stands for: kind {@link PrincipalKind#SERVICE} in the key's tenant
   * with the key's roles, or kind {@link PrincipalKind#PLATFORM} with {@value TenantPrincipal#PLATFORM_ADMIN} for a
   * platform key. The principal's {@code expiresAt} is the key's expiry, so a token issued for it can be capped.
   *
   * @param presented the key text as the client sent it
   * @return the principal
   * @throws InvalidApiKeyException if the key does not authenticate, with the reason (audited)
   */
  public TenantPrincipal authenticate(String presented) {
    Objects.requireNonNull(presented, "presented");
    Instant now = clock.instant();
    String id = ApiKeyFormat.idOf(presented);
    if (id == null) {
      throw rejected(InvalidApiKeyException.Reason.MALFORMED, null, null, false, now);
    }
    ApiKeyRecord record = store.findById(id).orElse(null);
    if (record == null) {
      throw rejected(InvalidApiKeyException.Reason.UNKNOWN, id, null, false, now);
    }
    ApiKey key = record.key();
    if (!MessageDigest.isEqual(ApiKeyFormat.hash(presented), record.secretHash())) {
      throw rejected(InvalidApiKeyException.Reason.WRONG_SECRET, id, key, false, now);
    }
    // Only a caller who holds the secret learns more than "not valid".
    if (key.revokedAt() != null) {
      throw rejected(InvalidApiKeyException.Reason.REVOKED, id, key, true, now);
    }
    if (!key.isActiveAt(now)) {
      throw rejected(InvalidApiKeyException.Reason.EXPIRED, id, key, true, now);
    }
    TenantId tenant = key.tenant();
    if (tenant == null) {
      return new TenantPrincipal(null, key.subject(), key.roles(), PrincipalKind.PLATFORM, null, null,
          key.expiresAt());
    }
    TenantInfo info = tenants.apply(tenant).orElse(null);
    if (info == null || !info.status().isServing()) {
      throw rejected(InvalidApiKeyException.Reason.TENANT_NOT_SERVING, id, key, true, now);
    }
    return new TenantPrincipal(tenant, key.subject(), key.roles(), PrincipalKind.SERVICE, null, null,
        key.expiresAt());
  }

  // ---------------------------------------------------------------- internals

  private IssuedApiKey issue(@Nullable TenantPrincipal actor, @Nullable TenantId tenant, String subject, String name,
      Set<String> keyRoles, Instant now, @Nullable Instant expiresAt) {
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String id = ApiKeyFormat.newId(random);
      String secret = ApiKeyFormat.newKey(id, random);
      ApiKey key = new ApiKey(id, tenant, subject, name, keyRoles, now, expiresAt, null);
      if (store.insert(new ApiKeyRecord(key, ApiKeyFormat.hash(secret)))) {
        record(IdentityAudit.keyChanged("api_key.created", actor, key, now));
        return new IssuedApiKey(key, secret);
      }
    }
    // 36^8 ids: repeated collisions mean a broken random source or store, not bad luck.
    throw new IllegalStateException("Could not find a free API key id in " + MAX_ID_ATTEMPTS + " attempts; check "
        + "that the ApiKeyStore's insert reports only real conflicts and that the random source is sound");
  }

  private TenantInfo requireTenant(TenantId id) {
    return tenants.apply(id).orElseThrow(() -> new TenantNotFoundException(id.toString()));
  }

  private void requireManage(TenantPrincipal actor, TenantInfo tenant) {
    if (!tenant.id().equals(actor.tenant())) {
      throw new AccessDeniedException(AccessDeniedException.Reason.CROSS_TENANT, null, "'" + actor.subject()
          + "' cannot manage API keys of a tenant other than its own");
    }
    if (!RoleCatalog.allows(roles.permissionsOf(actor, tenant.configuration()), RoleCatalog.MANAGE_API_KEYS)) {
      throw new AccessDeniedException(AccessDeniedException.Reason.MISSING_PERMISSION,
          RoleCatalog.MANAGE_API_KEYS.toString(), "'" + actor.subject() + "' lacks permission "
          + RoleCatalog.MANAGE_API_KEYS + " needed to manage API keys; a " + RoleCatalog.TENANT_ADMIN + " has it");
    }
  }

  /** The key, if the actor may rotate or revoke it; another tenant's key is "not found", like a missing one. */
  private ApiKey requireManageable(TenantPrincipal actor, String keyId) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(keyId, "keyId");
    ApiKey key = (ApiKeyFormat.isValidId(keyId) ? store.findById(keyId) : Optional.<ApiKeyRecord>empty())
        .map(ApiKeyRecord::key)
        .filter(k -> actor.isPlatform() || (!k.isPlatform() && Objects.equals(k.tenant(), actor.tenant())))
        .orElseThrow(() -> new ApiKeyNotFoundException(keyId));
    if (!actor.isPlatform() && !actor.subject().equals(key.subject())) {
      requireManage(actor, requireTenant(Objects.requireNonNull(key.tenant())));
    }
    return key;
  }

  private static void requireFuture(@Nullable Instant expiresAt, Instant now) {
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("An API key must expire in the future (was " + expiresAt + "); pass null "
          + "for a key that never expires");
    }
  }

  private InvalidApiKeyException rejected(InvalidApiKeyException.Reason reason, @Nullable String id,
      @Nullable ApiKey key, boolean callerHoldsSecret, Instant now) {
    InvalidApiKeyException rejection = new InvalidApiKeyException(reason, id);
    record(IdentityAudit.keyRejected(rejection, key == null ? null : key.tenant(),
        callerHoldsSecret ? key.subject() : null, now));
    return rejection;
  }

  private void record(AuditEvent event) {
    if (audit != null) {
      audit.record(event);
    }
  }

  @Override
  public String toString() {
    return "ApiKeyService[" + store + ", " + roles + "]";
  }

  /** Configures an {@link ApiKeyService}. */
  public static final class Builder {
    private @Nullable ApiKeyStore store;
    private @Nullable Function<TenantId, Optional<TenantInfo>> tenants;
    private RoleCatalog roles = RoleCatalog.builtIn();
    private @Nullable AuditLog audit;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();

    private Builder() {
    }

    /**
     * @param keyStore where keys are kept (hashes only); required
     * @return this builder
     */
    public Builder store(ApiKeyStore keyStore) {
      this.store = Objects.requireNonNull(keyStore, "keyStore");
      return this;
    }

    /**
     * How a key's tenant is looked up: to refuse keys of tenants that do not serve, and to read tenant-defined roles
     * when granting. Required (this or {@link #tenants(TenantService)}).
     *
     * @param lookup a tenant's id to its current info, empty if it does not exist
     * @return this builder
     */
    public Builder tenants(Function<TenantId, Optional<TenantInfo>> lookup) {
      this.tenants = Objects.requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * Looks tenants up through the tenant service (its store, usually cached, and its configuration resolver).
     *
     * @param service the tenant service
     * @return this builder
     */
    public Builder tenants(TenantService service) {
      Objects.requireNonNull(service, "service");
      return tenants(id -> service.find(id).map(service::info));
    }

    /**
     * @param catalog the roles keys may be granted; {@link RoleCatalog#builtIn()} by default
     * @return this builder
     */
    public Builder roles(RoleCatalog catalog) {
      this.roles = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * @param log where key changes ({@code CONFIGURATION}) and refusals ({@code SECURITY}) are recorded; none by
     *     default
     * @return this builder
     */
    public Builder auditLog(AuditLog log) {
      this.audit = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * @param time the clock for creation, expiry and revocation times; the system UTC clock by default
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * @return the service
     * @throws IllegalStateException if the store or the tenant lookup is missing
     */
    public ApiKeyService build() {
      ApiKeyStore keyStore = store;
      Function<TenantId, Optional<TenantInfo>> lookup = tenants;
      if (keyStore == null) {
        throw new IllegalStateException("ApiKeyService needs a store: call store(new InMemoryApiKeyStore()) or "
            + "store(JdbcApiKeyStore...)");
      }
      if (lookup == null) {
        throw new IllegalStateException("ApiKeyService needs a tenant lookup to refuse keys of tenants that do not "
            + "serve: call tenants(tenantService) or tenants(id -> ...)");
      }
      return new ApiKeyService(this, keyStore, lookup);
    }
  }
}
