package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantUpdate;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns request bodies into core requests: {@link NewTenant} for a create, {@link TenantUpdate} for a change. Shape
 * and type errors are collected here (every field at once); the rules on values (slug, tier, limit names) stay in
 * core, which reports the first broken one.
 */
final class TenantRequests {

  static final Set<String> CREATE_FIELDS = Set.of("slug", "displayName", "tier", "status", "featureFlags", "limits",
      "apiVersion", "settings");
  static final Set<String> UPDATE_FIELDS = Set.of("displayName", "tier", "status", "featureFlags", "limits",
      "apiVersion", "settings");
  private static final Set<TenantStatus> INITIAL = EnumSet.of(TenantStatus.TRIAL, TenantStatus.ACTIVE);
  private static final Set<TenantStatus> SETTABLE = EnumSet.of(TenantStatus.TRIAL, TenantStatus.ACTIVE,
      TenantStatus.SUSPENDED, TenantStatus.CANCELLED);

  private TenantRequests() {
  }

  /** A parsed part of a request: the value, or the errors that kept it from being built. */
  record Parsed<T>(T value, List<AdminException.FieldError> errors) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  static Parsed<NewTenant> create(JsonNode body, String prefix) {
    return create(body, prefix, Set.of());
  }

  static Parsed<NewTenant> create(JsonNode body, String prefix, Set<String> extra) {
    Fields fields = Fields.of(body, prefix, union(CREATE_FIELDS, extra));
    String slug = fields.text("slug", true);
    String displayName = fields.text("displayName", true);
    String tier = fields.text("tier", false);
    TenantStatus status = fields.constant("status", TenantStatus.class, INITIAL);
    Map<String, Boolean> flags = fields.flags("featureFlags");
    Map<String, Long> limits = fields.limits("limits");
    String apiVersion = fields.text("apiVersion", false);
    Map<String, String> settings = fields.settings("settings");
    if (!fields.errors().isEmpty()) {
      return new Parsed<>(null, fields.errors());
    }
    NewTenant request = new NewTenant(slug, displayName, tier, status, flags == null ? Map.of() : flags,
        limits == null ? Map.of() : limits, apiVersion, settings == null ? Map.of() : settings);
    return new Parsed<>(request, List.of());
  }

  static Parsed<TenantUpdate> update(JsonNode body, String prefix, Set<String> extra) {
    Fields fields = Fields.of(body, prefix, union(UPDATE_FIELDS, extra));
    TenantUpdate update = TenantUpdate.none()
        .withDisplayName(fields.text("displayName", false))
        .withTier(fields.text("tier", false))
        .withStatus(fields.constant("status", TenantStatus.class, SETTABLE))
        .withFeatureFlags(fields.flags("featureFlags"))
        .withLimits(fields.limits("limits"))
        .withApiVersion(fields.text("apiVersion", false))
        .withSettings(fields.settings("settings"));
    if (extra.contains("version")) {
      Long version = fields.integer("version");
      if (version != null) {
        update = update.expectingVersion(version);
      }
    }
    return fields.errors().isEmpty() ? new Parsed<>(update, List.of()) : new Parsed<>(null, fields.errors());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a.stream().sorted().toList());
    all.addAll(b);
    return all;
  }
}
