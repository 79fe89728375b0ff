package dev.tenancy.core;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-tenant configuration taken from environment variables: the last layer, over tier defaults and the tenant's
 * stored overrides, so an operator can change one tenant without touching the database.
 *
 * <p>The form is {@code TENANCY_TENANT_<SLUG>__<KEY>}, where {@code <SLUG>} is {@link TenantSlug#environmentKey()}
 * and {@code <KEY>} is one of:
 * <ul>
 *   <li>{@code TIER} — the tier name;</li>
 *   <li>{@code API_VERSION} — the pinned API version;</li>
 *   <li>{@code LIMIT_<NAME>} — a limit, {@code LIMIT_API_CALLS_PER_MONTH=5000} sets {@code apiCallsPerMonth};</li>
 *   <li>{@code FEATURE_<NAME>} — a flag, {@code true} or {@code false};</li>
 *   <li>{@code SETTING_<NAME>} — a setting.</li>
 * </ul>
 * The double underscore separates the slug from the key because a slug's hyphens become single underscores: with a
 * single one, {@code acme} and {@code acme-limit} would claim the same variables. All variables are parsed when the
 * overrides are created, so a malformed one stops start-up with a message naming it instead of surprising a request.
 *
 * <pre>{@code
 * TENANCY_TENANT_ACME_REALTY__LIMIT_API_CALLS_PER_MONTH=5000
 * TENANCY_TENANT_ACME_REALTY__FEATURE_LEAD_SCORING=true
 * }</pre>
 */
public final class EnvironmentOverrides {

  /** The prefix every variable read here starts with. */
  public static final String PREFIX = "TENANCY_TENANT_";

  private static final EnvironmentOverrides NONE = new EnvironmentOverrides(Map.of());

  private final Map<String, Layer> bySlugKey;

  private EnvironmentOverrides(Map<String, Layer> bySlugKey) {
    this.bySlugKey = Map.copyOf(bySlugKey);
  }

  /** @return overrides that change nothing */
  public static EnvironmentOverrides none() {
    return NONE;
  }

  /**
   * Reads the process environment.
   *
   * @return the overrides found in {@link System#getenv()}
   * @throws TenancyConfigurationException if a {@code TENANCY_TENANT_} variable is malformed
   */
  public static EnvironmentOverrides fromSystemEnvironment() {
    return from(System.getenv());
  }

  /**
   * Reads overrides from a map of variables; variables without the {@link #PREFIX} are ignored.
   *
   * @param environment variable names to values
   * @return the overrides
   * @throws TenancyConfigurationException if a {@code TENANCY_TENANT_} variable is malformed
   */
  public static EnvironmentOverrides from(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    Map<String, Layer> layers = new HashMap<>();
    environment.forEach((name, value) -> {
      if (!name.startsWith(PREFIX)) {
        return;
      }
      String rest = name.substring(PREFIX.length());
      int separator = rest.indexOf("__");
      if (separator <= 0 || separator + 2 >= rest.length()) {
        throw malformed(name, "expected TENANCY_TENANT_<SLUG>__<KEY>, e.g. TENANCY_TENANT_ACME__LIMIT_API_CALLS_PER_MONTH");
      }
      String slugKey = rest.substring(0, separator);
      String key = rest.substring(separator + 2);
      layers.computeIfAbsent(slugKey, k -> new Layer()).apply(name, key, value.trim());
    });
    return layers.isEmpty() ? NONE : new EnvironmentOverrides(layers);
  }

  /** The overrides for one tenant, or {@code null} when there are none. */
  @Nullable Layer layerFor(TenantSlug slug) {
    return bySlugKey.get(slug.environmentKey());
  }

  /** @return {@code true} when no tenant is overridden */
  public boolean isEmpty() {
    return bySlugKey.isEmpty();
  }

  private static TenancyConfigurationException malformed(String variable, String why) {
    return new TenancyConfigurationException("Environment variable " + variable + " is malformed: " + why);
  }

  /** {@code API_CALLS_PER_MONTH} → {@code apiCallsPerMonth}. */
  static String camelCase(String upperSnake) {
    StringBuilder out = new StringBuilder(upperSnake.length());
    boolean upperNext = false;
    for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upperNext = out.length() > 0;
      } else {
        out.append(upperNext ? Character.toUpperCase(c) : c);
        upperNext = false;
      }
    }
    return out.toString();
  }

  /** One tenant's environment layer. Mutable only while being parsed. */
  static final class Layer {
    @Nullable String tier;
    @Nullable String apiVersion;
    final Map<String, Long> limits = new HashMap<>();
    final Map<String, Boolean> features = new HashMap<>();
    final Map<String, String> settings = new HashMap<>();

    void apply(String variable, String key, String value) {
      try {
        if (key.equals("TIER")) {
          tier = ConfigurationKeys.tierName(value);
        } else if (key.equals("API_VERSION")) {
          apiVersion = ConfigurationKeys.apiVersion(value);
        } else if (key.startsWith("LIMIT_")) {
          limits.put(name(variable, key, "LIMIT_"), parseLimit(variable, value));
        } else if (key.startsWith("FEATURE_")) {
          features.put(name(variable, key, "FEATURE_"), parseFlag(variable, value));
        } else if (key.startsWith("SETTING_")) {
          settings.put(name(variable, key, "SETTING_"), value);
        } else {
          throw malformed(variable, "unknown key '" + key + "'; use TIER, API_VERSION, LIMIT_<NAME>, FEATURE_<NAME> or SETTING_<NAME>");
        }
      } catch (TenantValidationException e) {
        throw malformed(variable, e.getMessage());
      }
    }

    private static String name(String variable, String key, String category) {
      String name = camelCase(key.substring(category.length()));
      if (!ConfigurationKeys.isValidKey(name)) {
        throw malformed(variable, "the name after " + category + " is empty or invalid");
      }
      return name;
    }

    private static long parseLimit(String variable, String value) {
      try {
        long parsed = Long.parseLong(value);
        if (parsed < 0) {
          throw malformed(variable, "a limit must be zero or positive, was " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw malformed(variable, "a limit must be a whole number, was '" + value + "'");
      }
    }

    private static boolean parseFlag(String variable, String value) {
      if (value.equalsIgnoreCase("true")) {
        return true;
      }
      if (value.equalsIgnoreCase("false")) {
        return false;
      }
      throw malformed(variable, "a feature flag must be true or false, was '" + value + "'");
    }
  }
}
