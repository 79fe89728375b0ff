package dev.tenancy.servlet.admin;

import dev.tenancy.core.Tenant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tenant as the admin API shows it; field names are the contract of HTTP-API.md. Instants are ISO-8601 text.
 *
 * @param id the tenant's UUID
 * @param slug its slug
 * @param displayName its display name
 * @param status its status
 * @param tier its tier
 * @param featureFlags flags that differ from the tier's
 * @param limits limits that differ from the tier's
 * @param apiVersion the pinned API version, or {@code null}
 * @param settings application settings
 * @param version the optimistic-locking version, also the {@code ETag}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param purgeAfter for a cancelled tenant, when its data may be purged
 */
record TenantView(String id, String slug, String displayName, String status, String tier,
    Map<String, Boolean> featureFlags, Map<String, Long> limits, @Nullable String apiVersion,
    Map<String, String> settings, long version, String createdAt, String updatedAt, @Nullable String purgeAfter) {

  static TenantView of(Tenant tenant) {
    return new TenantView(tenant.id().toString(), tenant.slug().value(), tenant.displayName(),
        tenant.status().name(), tenant.tier(), tenant.configuration().featureFlags(),
        tenant.configuration().limits(), tenant.configuration().apiVersion(), tenant.configuration().settings(),
        tenant.version(), tenant.createdAt().toString(), tenant.updatedAt().toString(),
        tenant.purgeAfter() == null ? null : tenant.purgeAfter().toString());
  }

  /** @return the entity tag of this version: the version number, quoted */
  static String etag(Tenant tenant) {
    return "\"" + tenant.version() + "\"";
  }
}
