package dev.tenancy.core.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenantInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which permissions each role grants inside a tenant, and who may grant which role.
 *
 * <p>Roles come from three places, looked up in this order:
 * <ol>
 *   <li>the built-in tenant roles: {@value #TENANT_ADMIN} ({@code *:*}, everything inside its tenant),
 *       {@value #AGENT} ({@code *:read}, {@code *:write}) and {@value #VIEWER} ({@code *:read});</li>
 *   <li>the application's roles, defined (or built-ins redefined) in code with {@link Builder#role};</li>
 *   <li>a tenant's own roles, from its configuration settings: {@code roles.<name>} = a comma-separated list of
 *       permissions, e.g. {@code roles.billing = invoices:read, invoices:write}. A tenant can only add roles, never
 *       redefine one of the first two kinds; a malformed definition defines nothing (its role grants nothing and
 *       cannot be granted), and is logged once. Turn this source off with
 *       {@link Builder#tenantDefinedRoles(boolean) tenantDefinedRoles(false)}.</li>
 * </ol>
 * {@value TenantPrincipal#PLATFORM_ADMIN} is not a tenant role: no tenant's principal can hold it, no catalog can
 * define it, and nobody can grant it through {@link #checkGrant}.
 *
 * <p>The built-ins use the actions {@code read} and {@code write}; name administrative actions otherwise (this
 * library uses {@code api_keys:manage} and {@code roles:grant}) so that {@code *:write} does not cover them.
 *
 * <pre>{@code
 * RoleCatalog roles = RoleCatalog.builder()
 *     .role("support", "tickets:read", "tickets:write", "leads:read")
 *     .build();
 * roles.findRole("support", tenant.configuration());   // Optional[[tickets:read, tickets:write, leads:read]]
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RoleCatalog {

  /** Everything inside its own tenant ({@code *:*}), including managing API keys and granting roles. */
  public static final String TENANT_ADMIN = "tenant_admin";
  /** Reads and writes inside its tenant ({@code *:read}, {@code *:write}). */
  public static final String AGENT = "agent";
  /** Reads inside its tenant ({@code *:read}). */
  public static final String VIEWER = "viewer";
  /** The prefix of a tenant setting that defines a role: {@code roles.<name>}. */
  public static final String SETTING_PREFIX = "roles.";
  /** Needed to grant roles (to users, or to API keys). */
  public static final Permission GRANT_ROLES = new Permission("roles", "grant");
  /** Needed to create API keys, and to rotate or revoke keys of other subjects. */
  public static final Permission MANAGE_API_KEYS = new Permission("api_keys", "manage");

  private static final Logger LOG = LoggerFactory.getLogger(RoleCatalog.class);
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Permission EVERYTHING = new Permission(Permission.ANY, Permission.ANY);
  private static final Set<Permission> ALL = Set.of(EVERYTHING);
  private static final Map<String, Set<Permission>> BUILT_IN = Map.of(
      TENANT_ADMIN, ALL,
      AGENT, Set.of(Permission.parse("*:read"), Permission.parse("*:write")),
      VIEWER, Set.of(Permission.parse("*:read")));
  private static final RoleCatalog BUILT_IN_CATALOG = new RoleCatalog(BUILT_IN, true);

  private final Map<String, Set<Permission>> roles;
  private final boolean tenantDefinedRoles;
  // Parsed tenant role definitions by their text: parsing happens once per distinct definition, not per check.
  private final Cache<String, Optional<Set<Permission>>> definitions =
      Caffeine.newBuilder().maximumSize(4096).build();

  private RoleCatalog(Map<String, Set<Permission>> roles, boolean tenantDefinedRoles) {
    this.roles = Map.copyOf(roles);
    this.tenantDefinedRoles = tenantDefinedRoles;
  }

  /** @return the catalog of the built-in roles, with tenant-defined roles enabled */
  public static RoleCatalog builtIn() {
    return BUILT_IN_CATALOG;
  }

  /** @return a builder that starts from the built-in roles */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether a text is a valid role name.
   *
   * @param name a candidate
   * @return {@code true} for 1 to 64 lower-case letters, digits and {@code _}, starting with a letter
   */
  public static boolean isValidRoleName(String name) {
    return ROLE_NAME.matcher(Objects.requireNonNull(name, "name")).matches();
  }

  /** @return the roles defined in code (built-ins included), by name */
  public Map<String, Set<Permission>> applicationRoles() {
    return roles;
  }

  /**
   * The permissions of a role in a tenant.
   *
   * @param role a role name
   * @param tenant the tenant's effective configuration (for its own roles)
   * @return the role's permissions, or empty if the tenant knows no such role ({@value TenantPrincipal#PLATFORM_ADMIN}
   *     included)
   */
  public Optional<Set<Permission>> findRole(String role, EffectiveConfiguration tenant) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tenant, "tenant");
    Set<Permission> defined = roles.get(role);
    if (defined != null) {
      return Optional.of(defined);
    }
    if (!tenantDefinedRoles || role.equals(TenantPrincipal.PLATFORM_ADMIN) || !isValidRoleName(role)) {
      return Optional.empty();
    }
    String definition = tenant.settings().get(SETTING_PREFIX + role);
    return definition == null ? Optional.empty() : definitions.get(definition, text -> parse(role, text));
  }

  /**
   * @param role a role name
   * @param tenant the tenant's effective configuration
   * @return whether the tenant knows the role
   */
  public boolean isKnown(String role, EffectiveConfiguration tenant) {
    return findRole(role, tenant).isPresent();
  }

  /**
   * Everything a principal's roles grant in a tenant. Roles the tenant does not know grant nothing. A platform
   * principal holds every permission — but {@link Permissions#require} lets it use them inside a tenant only within
   * {@code TenantContext.asPlatform}.
   *
   * @param principal the principal
   * @param tenant the effective configuration of the principal's tenant
   * @return the permissions, possibly with wildcards
   */
  public Set<Permission> permissionsOf(TenantPrincipal principal, EffectiveConfiguration tenant) {
    Objects.requireNonNull(principal, "principal");
    if (principal.isPlatform()) {
      return ALL;
    }
    if (principal.roles().size() == 1) {
      return findRole(principal.roles().iterator().next(), tenant).orElse(Set.of());
    }
    Set<Permission> granted = new HashSet<>();
    for (String role : principal.roles()) {
      findRole(role, tenant).ifPresent(granted::addAll);
    }
    return granted;
  }

  /**
   * Checks that a principal may grant roles in a tenant (to a user, or to an API key):
   * <ul>
   *   <li>{@value TenantPrincipal#PLATFORM_ADMIN} is never granted this way, by anybody;</li>
   *   <li>every role must be known to the tenant;</li>
   *   <li>a tenant principal must belong to that tenant, hold {@code roles:grant}, and hold every permission of every
   *       role it grants — nobody hands out more than they have;</li>
   *   <li>a platform principal may grant any of the tenant's roles.</li>
   * </ul>
   *
   * @param grantor who grants
   * @param tenant the tenant the roles are granted in
   * @param grantedRoles the roles
   * @throws AccessDeniedException with {@link AccessDeniedException.Reason#GRANT_REFUSED},
   *     {@link AccessDeniedException.Reason#CROSS_TENANT} or {@link AccessDeniedException.Reason#MISSING_PERMISSION}
   */
  public void checkGrant(TenantPrincipal grantor, TenantInfo tenant, Collection<String> grantedRoles) {
    Objects.requireNonNull(grantor, "grantor");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(grantedRoles, "grantedRoles");
    if (grantedRoles.contains(TenantPrincipal.PLATFORM_ADMIN)) {
      throw new AccessDeniedException(AccessDeniedException.Reason.GRANT_REFUSED, null, "Role "
          + TenantPrincipal.PLATFORM_ADMIN + " cannot be granted inside a tenant, by anybody: platform operators get "
          + "platform keys through ApiKeyService.createPlatformKey");
    }
    Set<Permission> held = Set.of();
    if (!grantor.isPlatform()) {
      if (!tenant.id().equals(grantor.tenant())) {
        throw new AccessDeniedException(AccessDeniedException.Reason.CROSS_TENANT, null, "'" + grantor.subject()
            + "' cannot grant roles in a tenant other than its own");
      }
      held = permissionsOf(grantor, tenant.configuration());
      if (!allows(held, GRANT_ROLES)) {
        throw new AccessDeniedException(AccessDeniedException.Reason.MISSING_PERMISSION, GRANT_ROLES.toString(), "'"
            + grantor.subject() + "' (roles " + new TreeSet<>(grantor.roles()) + ") lacks permission " + GRANT_ROLES
            + " needed to grant roles; a " + TENANT_ADMIN + " has it");
      }
    }
    for (String role : grantedRoles) {
      Set<Permission> permissions = findRole(Objects.requireNonNull(role, "role"), tenant.configuration())
          .orElseThrow(() -> new AccessDeniedException(AccessDeniedException.Reason.GRANT_REFUSED, null, "Role '"
              + shorten(role) + "' is unknown to tenant " + tenant.slug() + "; grant a built-in role, an application "
              + "role, or define it in the tenant's settings as " + SETTING_PREFIX + "<name>"));
      if (grantor.isPlatform()) {
        continue;
      }
      for (Permission permission : permissions) {
        if (!allows(held, permission)) {
          throw new AccessDeniedException(AccessDeniedException.Reason.GRANT_REFUSED, permission.toString(), "'"
              + grantor.subject() + "' cannot grant role '" + role + "': it includes " + permission + ", which '"
              + grantor.subject() + "' does not hold itself");
        }
      }
    }
  }

  /**
   * Tells whether a set of held permissions covers a required one. A concrete requirement costs at most four hash
   * lookups, whatever the number of roles.
   */
  static boolean allows(Set<Permission> held, Permission required) {
    if (held.isEmpty()) {
      return false;
    }
    if (!required.isWildcard()) {
      return held.contains(required) || held.contains(EVERYTHING)
          || held.contains(new Permission(required.resource(), Permission.ANY))
          || held.contains(new Permission(Permission.ANY, required.action()));
    }
    for (Permission permission : held) {
      if (permission.implies(required)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Set<Permission>> parse(String role, String definition) {
    List<Permission> permissions = new ArrayList<>();
    try {
      for (String part : definition.split(",", -1)) {
        permissions.add(Permission.parse(part.strip()));
      }
    } catch (IllegalArgumentException e) {
      // Fail closed: a role whose definition we cannot read grants nothing, and cannot be granted.
      LOG.warn("Tenant role '{}' is ignored: its definition in setting {}{} is malformed ({}). Write it as a "
          + "comma-separated list of resource:action permissions", role, SETTING_PREFIX, role, e.getMessage());
      return Optional.empty();
    }
    return Optional.of(Set.copyOf(permissions));
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  @Override
  public String toString() {
    return "RoleCatalog" + new TreeSet<>(roles.keySet()) + (tenantDefinedRoles ? " + tenant-defined roles" : "");
  }

  /** Builds a {@link RoleCatalog}, starting from the built-in roles. */
  public static final class Builder {
    private final Map<String, Set<Permission>> roles = new LinkedHashMap<>(BUILT_IN);
    private boolean tenantDefinedRoles = true;

    private Builder() {
    }

    /**
     * Defines an application role, or redefines a built-in one, for every tenant.
     *
     * @param name the role's name (see {@link #isValidRoleName}); never {@value TenantPrincipal#PLATFORM_ADMIN}
     * @param permissions its permissions, e.g. {@code leads:read}, {@code leads:*}
     * @return this builder
     * @throws IllegalArgumentException if the name or a permission is invalid
     */
    public Builder role(String name, String... permissions) {
      List<Permission> parsed = new ArrayList<>();
      for (String permission : Arrays.asList(permissions)) {
        parsed.add(Permission.parse(permission));
      }
      return role(name, parsed);
    }

    /**
     * Defines an application role, or redefines a built-in one, for every tenant.
     *
     * @param name the role's name (see {@link #isValidRoleName}); never {@value TenantPrincipal#PLATFORM_ADMIN}
     * @param permissions its permissions
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid or reserved
     */
    public Builder role(String name, Collection<Permission> permissions) {
      Objects.requireNonNull(name, "name");
      if (name.equals(TenantPrincipal.PLATFORM_ADMIN)) {
        throw new IllegalArgumentException(TenantPrincipal.PLATFORM_ADMIN + " is the platform's role, not a tenant "
            + "role; it cannot be defined in a role catalog");
      }
      if (!isValidRoleName(name)) {
        throw new IllegalArgumentException("Invalid role name '" + shorten(name) + "': 1 to 64 lower-case letters, "
            + "digits and '_', starting with a letter");
      }
      roles.put(name, Set.copyOf(Objects.requireNonNull(permissions, "permissions")));
      return this;
    }

    /**
     * Whether tenants may define their own roles in their settings ({@code roles.<name>}).
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder tenantDefinedRoles(boolean enabled) {
      this.tenantDefinedRoles = enabled;
      return this;
    }

    /** @return the catalog */
    public RoleCatalog build() {
      return new RoleCatalog(roles, tenantDefinedRoles);
    }
  }
}
