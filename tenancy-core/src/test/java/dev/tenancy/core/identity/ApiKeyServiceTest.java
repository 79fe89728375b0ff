package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.IdentityFixtures.T0;
import static dev.tenancy.core.identity.IdentityFixtures.platform;
import static dev.tenancy.core.identity.IdentityFixtures.tenant;
import static dev.tenancy.core.identity.IdentityFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.spi.ApiKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {

  private final IdentityFixtures.MutableClock clock = new IdentityFixtures.MutableClock(T0);
  private final IdentityFixtures.Directory directory = new IdentityFixtures.Directory();
  private final TenantInfo acme = directory.add(tenant("acme", Map.of("roles.billing", "invoices:read")));
  private final TenantInfo globex = directory.add(tenant("globex"));
  private final TenantPrincipal acmeAdmin = user(acme, "alice", RoleCatalog.TENANT_ADMIN);
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final IdentityFixtures.Trail trail = new IdentityFixtures.Trail();
  private final ApiKeyService keys = ApiKeyService.builder()
      .store(store)
      .tenants(directory::find)
      .auditLog(trail.log)
      .clock(clock)
      .build();

  @AfterEach
  void closeTrail() {
    trail.close();
  }

  private IssuedApiKey agentKey() {
    return keys.create(acmeAdmin, NewApiKey.of(acme.id(), "ci-bot", Set.of(RoleCatalog.AGENT)));
  }

  private static void assertRejected(ThrowingCallable call, InvalidApiKeyException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidApiKeyException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static void assertDenied(ThrowingCallable call, AccessDeniedException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(AccessDeniedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  /** Flips one character of the secret part, keeping the format (and the id) valid. */
  private static String withWrongSecret(String key) {
    char last = key.charAt(key.length() - 1);
    return key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  // ---------------------------------------------------------------- issuing and the stored form

  @Test
  void create_thenAuthenticate_yieldsAServicePrincipalOfTheTenantWithTheKeysRoles() {
    IssuedApiKey issued = agentKey();

    TenantPrincipal principal = keys.authenticate(issued.secret());

    assertThat(principal.tenant()).isEqualTo(acme.id());
    assertThat(principal.subject()).isEqualTo("ci-bot");
    assertThat(principal.roles()).containsExactly(RoleCatalog.AGENT);
    assertThat(principal.kind()).isEqualTo(PrincipalKind.SERVICE);
    assertThat(principal.expiresAt()).isNull();
  }

  @Test
  void create_keyText_hasTheVisiblePrefixAnd256RandomBits() {
    IssuedApiKey issued = agentKey();

    assertThat(issued.secret()).matches("tny_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")
        .startsWith(issued.key().prefix()).startsWith("tny_" + issued.id() + "_");
    assertThat(java.util.Base64.getUrlDecoder().decode(issued.secret().substring(13))).hasSize(32);
    assertThat(agentKey().secret()).isNotEqualTo(issued.secret());
  }

  @Test
  void issuedKey_toString_neverShowsTheSecret() {
    IssuedApiKey issued = agentKey();

    assertThat(issued.toString()).doesNotContain(issued.secret().substring(13))
        .contains("tny_" + issued.id() + "_***");
  }

  @Test
  void store_holdsOnlyTheSha256OfTheKey_theSecretAppearsNowhere() throws Exception {
    IssuedApiKey issued = agentKey();
    IssuedApiKey platformKey = keys.createPlatformKey("root", "bootstrap", null);

    ApiKeyRecord stored = store.findById(issued.id()).orElseThrow();
    assertThat(stored.secretHash()).isEqualTo(MessageDigest.getInstance("SHA-256")
        .digest(issued.secret().getBytes(StandardCharsets.US_ASCII)));
    assertThat(SecretScan.find(store, issued.secret())).isEmpty();
    assertThat(SecretScan.find(store, platformKey.secret())).isEmpty();
    assertThat(SecretScan.find(keys, issued.secret())).as("nor in the service").isEmpty();
    // The scan can find a secret where there is one.
    assertThat(SecretScan.find(issued, issued.secret())).isNotEmpty();
  }

  @Test
  void audit_recordsCreationAndRejectionButNeverTheSecret() {
    IssuedApiKey issued = agentKey();
    assertRejected(() -> keys.authenticate(withWrongSecret(issued.secret())),
        InvalidApiKeyException.Reason.WRONG_SECRET);
    keys.revoke(acmeAdmin, issued.id());

    assertThat(trail.events("api_key.created")).singleElement().satisfies(event -> {
      assertThat(event.category()).isEqualTo(AuditCategory.CONFIGURATION);
      assertThat(event.tenant()).isEqualTo(acme.id());
      assertThat(event.actor()).isEqualTo("alice");
      assertThat(event.resource()).isEqualTo("api_key/" + issued.id());
      assertThat(event.details()).containsEntry("subject", "ci-bot").containsEntry("roles", "agent");
    });
    assertThat(trail.events("auth.api_key_rejected")).singleElement().satisfies(event -> {
      assertThat(event.category()).isEqualTo(AuditCategory.SECURITY);
      assertThat(event.outcome()).isEqualTo(AuditOutcome.DENIED);
      assertThat(event.tenant()).as("on the key's tenant's trail").isEqualTo(acme.id());
      assertThat(event.details()).containsEntry("reason", "WRONG_SECRET");
    });
    assertThat(trail.events("api_key.revoked")).hasSize(1);
    assertThat(SecretScan.find(trail.sink, issued.secret())).isEmpty();
    assertThat(SecretScan.find(trail.events(), issued.secret())).isEmpty();
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void authenticate_validIdWrongSecret_refused() {
    IssuedApiKey issued = agentKey();

    assertRejected(() -> keys.authenticate(withWrongSecret(issued.secret())),
        InvalidApiKeyException.Reason.WRONG_SECRET);
    assertThatThrownBy(() -> keys.authenticate(withWrongSecret(issued.secret())))
        .hasMessageNotContaining(issued.secret().substring(13));
  }

  @Test
  void authenticate_anotherKeysSecretUnderThisId_refused() {
    IssuedApiKey mine = agentKey();
    IssuedApiKey other = agentKey();
    String spliced = "tny_" + mine.id() + other.secret().substring(12);

    assertRejected(() -> keys.authenticate(spliced), InvalidApiKeyException.Reason.WRONG_SECRET);
  }

  @Test
  void authenticate_malformed_refusedWithoutLookingAnythingUp() {
    IssuedApiKey issued = agentKey();
    String key = issued.secret();

    for (String malformed : new String[] {"", "tny_", key + "x", key.substring(1), "TNY" + key.substring(3),
        key.replace("tny_" + issued.id(), "tny_" + issued.id().toUpperCase()), key.substring(0, 55) + "=",
        key.substring(0, 55) + "+", key.substring(0, 12) + "-" + key.substring(13), "Bearer " + key,
        "x".repeat(100_000), key.substring(0, 20) + "\u0000" + key.substring(21)}) {
      assertRejected(() -> keys.authenticate(malformed), InvalidApiKeyException.Reason.MALFORMED);
    }
  }

  @Test
  void authenticate_unknownId_refused() {
    IssuedApiKey issued = agentKey();
    String otherId = issued.id().equals("zzzzzzzz") ? "yyyyyyyy" : "zzzzzzzz";

    assertRejected(() -> keys.authenticate("tny_" + otherId + issued.secret().substring(12)),
        InvalidApiKeyException.Reason.UNKNOWN);
  }

  @Test
  void revoke_refusesTheKeyAtOnce() {
    IssuedApiKey issued = agentKey();
    assertThat(keys.authenticate(issued.secret()).subject()).isEqualTo("ci-bot");

    ApiKey revoked = keys.revoke(acmeAdmin, issued.id());

    assertThat(revoked.revokedAt()).isEqualTo(T0);
    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.REVOKED);
  }

  @Test
  void revoke_twice_keepsTheFirstTimeAndAuditsOnce() {
    IssuedApiKey issued = agentKey();
    keys.revoke(acmeAdmin, issued.id());
    clock.advance(Duration.ofHours(1));

    assertThat(keys.revoke(acmeAdmin, issued.id()).revokedAt()).isEqualTo(T0);
    assertThat(trail.events("api_key.revoked")).hasSize(1);
  }

  @Test
  void revoked_wrongSecret_stillReportedAsWrongSecret_theStateNeedsTheSecret() {
    IssuedApiKey issued = agentKey();
    keys.revoke(acmeAdmin, issued.id());

    assertRejected(() -> keys.authenticate(withWrongSecret(issued.secret())),
        InvalidApiKeyException.Reason.WRONG_SECRET);
  }

  @Test
  void expired_refused() {
    IssuedApiKey issued = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "ci-bot", Set.of(RoleCatalog.AGENT))
        .expiringAt(T0.plus(Duration.ofDays(1))));
    assertThat(keys.authenticate(issued.secret()).expiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));

    clock.advance(Duration.ofDays(1));

    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.EXPIRED);
  }

  @Test
  void create_expiryNotInTheFuture_refused() {
    assertThatThrownBy(() -> keys.create(acmeAdmin, NewApiKey.of(acme.id(), "ci-bot", Set.of()).expiringAt(T0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void suspendedTenant_keyRefused_andAcceptedAgainWhenReactivated() {
    IssuedApiKey issued = agentKey();

    directory.setStatus(acme, TenantStatus.SUSPENDED);
    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.TENANT_NOT_SERVING);

    directory.setStatus(acme, TenantStatus.ACTIVE);
    assertThat(keys.authenticate(issued.secret()).tenant()).isEqualTo(acme.id());

    directory.remove(acme);
    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.TENANT_NOT_SERVING);
  }

  @Test
  void revokeAll_revokesEveryKeyOfTheTenantOnly() {
    IssuedApiKey one = agentKey();
    IssuedApiKey two = agentKey();
    IssuedApiKey foreign = keys.create(platform("ops"), NewApiKey.of(globex.id(), "bot", Set.of("viewer")));

    assertThat(keys.revokeAll(acme.id())).isEqualTo(2);

    assertRejected(() -> keys.authenticate(one.secret()), InvalidApiKeyException.Reason.REVOKED);
    assertRejected(() -> keys.authenticate(two.secret()), InvalidApiKeyException.Reason.REVOKED);
    assertThat(keys.authenticate(foreign.secret()).tenant()).isEqualTo(globex.id());
  }

  // ---------------------------------------------------------------- rotation

  @Test
  void rotate_withGrace_bothWorkUntilTheGraceEndsThenOnlyTheNewOne() {
    IssuedApiKey old = agentKey();
    clock.advance(Duration.ofMinutes(5));

    IssuedApiKey fresh = keys.rotate(acmeAdmin, old.id(), clock.instant().plus(Duration.ofHours(1)));

    assertThat(fresh.id()).isNotEqualTo(old.id());
    assertThat(fresh.key().subject()).isEqualTo("ci-bot");
    assertThat(fresh.key().roles()).containsExactly(RoleCatalog.AGENT);
    assertThat(keys.authenticate(old.secret()).subject()).isEqualTo("ci-bot");
    assertThat(keys.authenticate(fresh.secret()).subject()).isEqualTo("ci-bot");

    clock.advance(Duration.ofHours(1));

    assertRejected(() -> keys.authenticate(old.secret()), InvalidApiKeyException.Reason.EXPIRED);
    assertThat(keys.authenticate(fresh.secret()).subject()).isEqualTo("ci-bot");
    assertThat(trail.events("api_key.rotated")).singleElement().satisfies(event ->
        assertThat(event.details()).containsEntry("replacedBy", fresh.id()));
  }

  @Test
  void rotate_withoutGrace_revokesTheOldKeyAtOnce() {
    IssuedApiKey old = agentKey();

    IssuedApiKey fresh = keys.rotate(acmeAdmin, old.id(), null);

    assertRejected(() -> keys.authenticate(old.secret()), InvalidApiKeyException.Reason.REVOKED);
    assertThat(keys.authenticate(fresh.secret()).subject()).isEqualTo("ci-bot");
  }

  @Test
  void rotate_graceBeyondTheOldExpiry_neverExtendsTheOldKey() {
    IssuedApiKey old = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "ci-bot", Set.of(RoleCatalog.AGENT))
        .expiringAt(T0.plus(Duration.ofDays(30))));
    clock.advance(Duration.ofDays(29));

    IssuedApiKey fresh = keys.rotate(acmeAdmin, old.id(), clock.instant().plus(Duration.ofDays(7)));

    assertThat(store.findById(old.id()).orElseThrow().key().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(fresh.key().expiresAt()).as("the same 30-day lifetime from now")
        .isEqualTo(clock.instant().plus(Duration.ofDays(30)));
  }

  @Test
  void rotate_bySelf_allowedWithoutManagePermission() {
    IssuedApiKey old = agentKey();
    TenantPrincipal self = keys.authenticate(old.secret());

    IssuedApiKey fresh = keys.rotate(self, old.id(), clock.instant().plus(Duration.ofMinutes(10)));

    assertThat(keys.authenticate(fresh.secret()).subject()).isEqualTo("ci-bot");
  }

  @Test
  void rotate_revokedKey_refused() {
    IssuedApiKey old = agentKey();
    keys.revoke(acmeAdmin, old.id());

    assertRejected(() -> keys.rotate(acmeAdmin, old.id(), null), InvalidApiKeyException.Reason.REVOKED);
  }

  // ---------------------------------------------------------------- platform keys

  @Test
  void platformKey_authenticatesAsPlatformWithoutTenant() {
    IssuedApiKey issued = keys.createPlatformKey("root", "bootstrap", null);

    TenantPrincipal principal = keys.authenticate(issued.secret());

    assertThat(principal.kind()).isEqualTo(PrincipalKind.PLATFORM);
    assertThat(principal.tenant()).isNull();
    assertThat(principal.roles()).containsExactly(TenantPrincipal.PLATFORM_ADMIN);
    assertThat(issued.key().isPlatform()).isTrue();
  }

  @Test
  void platformKey_byATenantPrincipal_refusedAndAudited() {
    assertDenied(() -> keys.createPlatformKey(acmeAdmin, "eve", "escalation", null),
        AccessDeniedException.Reason.PLATFORM_ONLY);
    assertThat(trail.events("api_key.grant_refused")).hasSize(1);
    assertThat(keys.list(platform("ops"), null)).isEmpty();
  }

  @Test
  void platformKey_imported_authenticatesAndImportIsIdempotent() {
    String text = keys.createPlatformKey("throwaway", "generator", null).secret();
    InMemoryApiKeyStore otherStore = new InMemoryApiKeyStore();
    ApiKeyService other = ApiKeyService.builder().store(otherStore).tenants(directory::find).clock(clock).build();

    ApiKey imported = other.importPlatformKey(text, "root", "from TENANCY_ADMIN_API_KEY");
    ApiKey again = other.importPlatformKey(text, "root", "from TENANCY_ADMIN_API_KEY");

    assertThat(again).isEqualTo(imported);
    assertThat(other.authenticate(text).kind()).isEqualTo(PrincipalKind.PLATFORM);
    assertThat(SecretScan.find(otherStore, text)).isEmpty();
    assertThatThrownBy(() -> other.importPlatformKey(withWrongSecret(text), "root", "clash"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(text.substring(13));
    assertThatThrownBy(() -> other.importPlatformKey("tny_short", "root", "bad"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- grant rules on keys (attacks)

  @Test
  void create_tenantAdminGrantsPlatformAdmin_refusedAndAudited() {
    assertDenied(() -> keys.create(acmeAdmin, NewApiKey.of(acme.id(), "eve",
        Set.of(TenantPrincipal.PLATFORM_ADMIN))), AccessDeniedException.Reason.GRANT_REFUSED);

    assertThat(store.findByTenant(acme.id())).isEmpty();
    AuditEvent refusal = trail.events("api_key.grant_refused").get(0);
    assertThat(refusal.category()).isEqualTo(AuditCategory.SECURITY);
    assertThat(refusal.actor()).isEqualTo("alice");
    assertThat(refusal.details()).containsEntry("roles", TenantPrincipal.PLATFORM_ADMIN);
  }

  @Test
  void create_unknownRole_refused() {
    assertDenied(() -> keys.create(acmeAdmin, NewApiKey.of(acme.id(), "eve", Set.of("root"))),
        AccessDeniedException.Reason.GRANT_REFUSED);
  }

  @Test
  void create_tenantDefinedRole_allowed() {
    IssuedApiKey issued = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "billing-bot", Set.of("billing")));

    assertThat(keys.authenticate(issued.secret()).roles()).containsExactly("billing");
  }

  @Test
  void create_byAnAgent_refusedForLackOfManagePermission() {
    TenantPrincipal agent = user(acme, "bob", RoleCatalog.AGENT);

    assertThatThrownBy(() -> keys.create(agent, NewApiKey.of(acme.id(), "bob-bot", Set.of(RoleCatalog.VIEWER))))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_PERMISSION);
          assertThat(e.permission()).contains("api_keys:manage");
        });
  }

  @Test
  void create_inAnotherTenant_refused() {
    assertDenied(() -> keys.create(acmeAdmin, NewApiKey.of(globex.id(), "spy", Set.of(RoleCatalog.VIEWER))),
        AccessDeniedException.Reason.CROSS_TENANT);
    assertThat(store.findByTenant(globex.id())).isEmpty();
  }

  @Test
  void create_byAKeyHolderWithManageButLessThanTheRole_refused() {
    TenantInfo initech = directory.add(tenant("initech", Map.of("roles.key_admin",
        "api_keys:manage,roles:grant,leads:read")));
    TenantPrincipal keyAdmin = user(initech, "kim", "key_admin");

    assertDenied(() -> keys.create(keyAdmin, NewApiKey.of(initech.id(), "kim-bot",
        Set.of(RoleCatalog.TENANT_ADMIN))), AccessDeniedException.Reason.GRANT_REFUSED);
    assertThat(keys.create(keyAdmin, NewApiKey.of(initech.id(), "kim-bot", Set.of("key_admin"))).key().roles())
        .containsExactly("key_admin");
  }

  @Test
  void create_byPlatform_anyTenantRole() {
    IssuedApiKey issued = keys.create(platform("ops"), NewApiKey.of(globex.id(), "gina",
        Set.of(RoleCatalog.TENANT_ADMIN)));

    assertThat(keys.authenticate(issued.secret()).roles()).containsExactly(RoleCatalog.TENANT_ADMIN);
    assertThat(trail.events("api_key.created")).singleElement()
        .satisfies(event -> assertThat(event.actorType()).isEqualTo(dev.tenancy.core.audit.AuditActorType
            .PLATFORM_OPERATOR));
  }

  @Test
  void revoke_anotherTenantsKey_reportedAsNotFound() {
    IssuedApiKey acmeKey = agentKey();
    TenantPrincipal globexAdmin = user(globex, "gina", RoleCatalog.TENANT_ADMIN);

    assertThatThrownBy(() -> keys.revoke(globexAdmin, acmeKey.id())).isInstanceOf(ApiKeyNotFoundException.class);
    assertThatThrownBy(() -> keys.rotate(globexAdmin, acmeKey.id(), null))
        .isInstanceOf(ApiKeyNotFoundException.class);
    assertThat(keys.authenticate(acmeKey.secret()).subject()).isEqualTo("ci-bot");
  }

  @Test
  void revoke_platformKeyByATenantAdmin_reportedAsNotFound() {
    IssuedApiKey root = keys.createPlatformKey("root", "bootstrap", null);

    assertThatThrownBy(() -> keys.revoke(acmeAdmin, root.id())).isInstanceOf(ApiKeyNotFoundException.class);
    assertThat(keys.authenticate(root.secret()).isPlatform()).isTrue();
  }

  @Test
  void revoke_anotherSubjectsKeyWithoutManage_refused_ownKeyAllowed() {
    IssuedApiKey botKey = agentKey();
    TenantPrincipal bob = user(acme, "bob", RoleCatalog.AGENT);
    IssuedApiKey bobsKey = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "bob", Set.of(RoleCatalog.AGENT)));

    assertDenied(() -> keys.revoke(bob, botKey.id()), AccessDeniedException.Reason.MISSING_PERMISSION);
    assertThat(keys.revoke(bob, bobsKey.id()).revokedAt()).isNotNull();
  }

  @Test
  void revoke_byPassingTheWholeKeyAsId_notFoundAndTheSecretNotEchoed() {
    IssuedApiKey issued = agentKey();

    assertThatThrownBy(() -> keys.revoke(acmeAdmin, issued.secret()))
        .isInstanceOf(ApiKeyNotFoundException.class)
        .hasMessageNotContaining(issued.secret().substring(13));
  }

  @Test
  void list_adminSeesTheTenantsKeys_othersTheirOwn_noSecrets() {
    IssuedApiKey bot = agentKey();
    IssuedApiKey bobs = keys.create(acmeAdmin, NewApiKey.of(acme.id(), "bob", Set.of(RoleCatalog.AGENT)));
    keys.create(platform("ops"), NewApiKey.of(globex.id(), "gina", Set.of(RoleCatalog.VIEWER)));

    assertThat(keys.list(acmeAdmin, acme.id())).extracting(ApiKey::id).containsExactlyInAnyOrder(bot.id(), bobs.id());
    assertThat(keys.list(user(acme, "bob", RoleCatalog.AGENT), acme.id())).extracting(ApiKey::id)
        .containsExactly(bobs.id());
    assertDenied(() -> keys.list(acmeAdmin, globex.id()), AccessDeniedException.Reason.CROSS_TENANT);
    assertDenied(() -> keys.list(acmeAdmin, null), AccessDeniedException.Reason.CROSS_TENANT);
    assertThat(SecretScan.find(keys.list(acmeAdmin, acme.id()), bot.secret())).isEmpty();
  }

  @Test
  void builder_withoutStoreOrTenants_refused() {
    assertThatThrownBy(() -> ApiKeyService.builder().tenants(directory::find).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
    assertThatThrownBy(() -> ApiKeyService.builder().store(store).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenant");
  }

  @Test
  void revoke_byAnotherInstanceSharingTheStore_refusedHereAtOnce_noCacheKeepsItAlive() {
    IssuedApiKey issued = agentKey();
    assertThat(keys.authenticate(issued.secret()).subject()).isEqualTo("ci-bot");
    ApiKeyService otherInstance = ApiKeyService.builder().store(store).tenants(directory::find).clock(clock).build();

    otherInstance.revoke(acmeAdmin, issued.id());

    assertRejected(() -> keys.authenticate(issued.secret()), InvalidApiKeyException.Reason.REVOKED);
  }
}
