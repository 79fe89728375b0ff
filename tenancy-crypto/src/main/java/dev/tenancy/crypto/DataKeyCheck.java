package dev.tenancy.crypto;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import dev.tenancy.crypto.spi.TenantKeyStore;
import dev.tenancy.crypto.spi.TenantKeyStore.TenantDataKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks that every tenant's data can be decrypted: each live tenant has a data key, and every stored version of it
 * unwraps with the KEK — which proves the KEK is there and the wrapped keys were not altered or moved between tenants
 * (the wrapping is bound to tenant and version). A purged tenant must have no key left.
 *
 * <ul>
 *   <li>{@link dev.tenancy.core.health.HealthStatus#UP UP}: a live tenant's keys all unwrap; a purged
 *       ({@code DELETED}) tenant has none (crypto-shredded as intended); a {@code PROVISIONING} tenant has none
 *       yet.</li>
 *   <li>{@code DEGRADED}: a purged tenant has keys again — the key store was restored from before the purge, so the
 *       restored copy of its data is readable again until the keys are destroyed once more.</li>
 *   <li>{@code DOWN}: a live tenant without keys, or a key version that does not unwrap (KEK version missing, wrapped
 *       key altered or copied from another tenant or version).</li>
 * </ul>
 *
 * <p>Its platform-wide form wraps and unwraps a random probe with the current KEK, and counts keys of tenants the
 * platform does not know. Results carry versions and KEK ids, never key bytes; every unwrapped key is wiped at once.
 *
 * <pre>{@code
 * TenantHealthChecks checks = TenantHealthChecks.builder()
 *     .tenants(tenantService)
 *     .check(new DataKeyCheck(kek, JdbcTenantKeyStore.builder().dataSource(adminDataSource).build()))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DataKeyCheck implements TenantHealthCheck {

  /** The check's name, the key of its result. */
  public static final String NAME = "data-keys";

  private static final byte[] PROBE_CONTEXT = LengthPrefixed.encode(
      "tenancy.health.kek-probe.v1".getBytes(StandardCharsets.US_ASCII));

  private final KeyEncryptionKeyProvider kek;
  private final TenantKeyStore store;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates the check.
   *
   * @param kek the KEK provider the application uses (after a restore: the KEK kept outside the database)
   * @param store where the wrapped data keys are (after a restore: the restored store)
   */
  public DataKeyCheck(KeyEncryptionKeyProvider kek, TenantKeyStore store) {
    this.kek = Objects.requireNonNull(kek, "kek");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Checks one tenant's key versions.
   *
   * @param tenant the tenant
   * @return what was found
   * @throws RuntimeException if the key store cannot be read, or the KEK provider fails other than by refusing to
   *     unwrap (an unreachable KMS): the runner reports that as {@code DOWN}
   */
  @Override
  public CheckResult check(Tenant tenant) {
    List<TenantDataKey> versions = store.versions(tenant.id());
    if (tenant.status() == TenantStatus.DELETED) {
      return versions.isEmpty() ? CheckResult.up("purged: no data key remains (crypto-shredded as intended)")
          : CheckResult.degraded("the tenant was purged, but " + versions.size() + " data key version(s) exist"
              + " again: the key store was restored from before the purge, so the restored copy of its data can be"
              + " decrypted; destroy the keys again (TenantKeys.destroy)").withFact("versions", versions.size());
    }
    if (versions.isEmpty()) {
      if (tenant.status() == TenantStatus.PROVISIONING) {
        return CheckResult.up("provisioning: no data key yet");
      }
      return CheckResult.down("the tenant has no data key: nothing encrypted for it can be decrypted. Restore the"
          + " key store from the backup that matches the data; if the tenant was purged after the restore point,"
          + " finish its purge instead").withFact("versions", 0);
    }
    List<Integer> failed = new ArrayList<>();
    @Nullable String firstReason = null;
    Set<String> kekIds = new TreeSet<>();
    int stale = 0;
    String current = kek.currentKeyId();
    for (TenantDataKey key : versions) {
      kekIds.add(key.wrapped().keyId());
      if (!key.wrapped().keyId().equals(current)) {
        stale++;
      }
      Optional<String> refused = unwraps(tenant.id(), key);
      if (refused.isPresent()) {
        failed.add(key.version());
        firstReason = firstReason == null ? refused.get() : firstReason;
      }
    }
    int currentVersion = versions.get(versions.size() - 1).version();
    CheckResult result;
    if (failed.isEmpty()) {
      result = CheckResult.up(versions.size() + " data key version(s), current " + currentVersion
          + ", all unwrap with the KEK" + (stale == 0 ? "" : "; " + stale + " still wrapped by an older KEK version"
          + " (run TenantKeys.rewrapAll())"));
    } else {
      result = CheckResult.down("data key version(s) " + failed + " of " + versions.size() + " do not unwrap: "
          + firstReason + ". Values encrypted under them cannot be decrypted: load the KEK version that wrapped them,"
          + " or restore the key store from a copy that matches the data")
          .withFact("failedVersions", failed.toString());
    }
    return result.withFact("versions", versions.size()).withFact("currentVersion", currentVersion)
        .withFact("kekIds", String.join(",", kekIds)).withFact("wrappedByOlderKek", stale);
  }

  /**
   * Wraps and unwraps a random probe with the current KEK, and counts keys of tenants the platform does not know
   * (a key store restored from another point in time than the tenant store).
   *
   * @param tenants every tenant
   * @return what was found
   */
  @Override
  public Optional<CheckResult> checkPlatform(List<Tenant> tenants) {
    String current = kek.currentKeyId();
    byte[] probe = new byte[32];
    random.nextBytes(probe);
    byte[] back = null;
    try {
      back = kek.unwrap(kek.wrap(probe, PROBE_CONTEXT), PROBE_CONTEXT);
      if (!MessageDigest.isEqual(probe, back)) {
        return Optional.of(CheckResult.down("the KEK '" + current + "' unwraps a probe to other bytes than it wrapped:"
            + " the KEK provider is broken").withFact("kekId", current));
      }
    } catch (TenantCryptoException e) {
      return Optional.of(CheckResult.down("the current KEK '" + current + "' cannot wrap and unwrap a probe: "
          + e.getMessage()).withFact("kekId", current));
    } finally {
      Arrays.fill(probe, (byte) 0);
      if (back != null) {
        Arrays.fill(back, (byte) 0);
      }
    }
    Set<TenantId> known = new HashSet<>();
    tenants.forEach(tenant -> known.add(tenant.id()));
    long unknown = store.tenants().stream().filter(id -> !known.contains(id)).count();
    CheckResult result = unknown == 0 ? CheckResult.up("the current KEK '" + current + "' wraps and unwraps")
        : CheckResult.degraded("the current KEK '" + current + "' wraps and unwraps, but " + unknown + " tenant(s)"
            + " the platform does not know have data keys: the key store and the tenant store were restored to"
            + " different points in time");
    return Optional.of(result.withFact("kekId", current).withFact("keysOfUnknownTenants", unknown));
  }

  /** Unwraps one version and wipes the key at once; the reason it was refused, if it was. */
  private Optional<String> unwraps(TenantId tenant, TenantDataKey key) {
    WrappedKey wrapped = key.wrapped();
    byte[] raw;
    try {
      raw = kek.unwrap(wrapped, TenantKeys.context(tenant, key.version()));
    } catch (TenantCryptoException e) {
      // Crypto exceptions name KEK ids, tenants and versions, never key material (see TenantCryptoException).
      return Optional.of(e.getMessage());
    }
    Arrays.fill(raw, (byte) 0);
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "DataKeyCheck[kek=" + kek.currentKeyId() + ", store=" + store + "]";
  }
}
