package dev.tenancy.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code tenancy.*} properties. Every value has a default, so an application with none set gets the built-in
 * tiers, in-memory stores (or JDBC ones when it has a {@code DataSource}) and its DataSource wrapped for row-level
 * security.
 *
 * <p>Mutable JavaBean because that is what Spring's binder and the configuration processor (which writes the IDE
 * metadata) understand; the auto-configuration turns it into the library's immutable values at start-up.
 */
@ConfigurationProperties("tenancy")
public class TenancyProperties {

  /** Whether the built-in tiers (free, pro, enterprise) are the starting point that tenancy.tiers overrides. */
  private boolean builtInTiers = true;

  /**
   * Tiers by name: a new name adds a tier, a built-in name replaces that tier's limits and features wholesale (so a
   * tier never mixes two definitions).
   */
  private Map<String, TierDefinition> tiers = new LinkedHashMap<>();

  /** How long a cancelled tenant's data is kept before it may be purged. */
  private Duration retention = Duration.ofDays(30);

  private final Store store = new Store();
  private final Quota quota = new Quota();
  private final Audit audit = new Audit();
  private final DataSource datasource = new DataSource();
  private final Filter filter = new Filter();
  private final Tokens tokens = new Tokens();
  private final Admin admin = new Admin();
  private final Metrics metrics = new Metrics();

  /** @return whether the built-in tiers are the base */
  public boolean isBuiltInTiers() {
    return builtInTiers;
  }

  /** @param builtInTiers whether the built-in tiers are the base */
  public void setBuiltInTiers(boolean builtInTiers) {
    this.builtInTiers = builtInTiers;
  }

  /** @return tier definitions by name */
  public Map<String, TierDefinition> getTiers() {
    return tiers;
  }

  /** @param tiers tier definitions by name */
  public void setTiers(Map<String, TierDefinition> tiers) {
    this.tiers = tiers;
  }

  /** @return how long a cancelled tenant's data is kept */
  public Duration getRetention() {
    return retention;
  }

  /** @param retention how long a cancelled tenant's data is kept */
  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  /** @return tenant store settings */
  public Store getStore() {
    return store;
  }

  /** @return quota settings */
  public Quota getQuota() {
    return quota;
  }

  /** @return audit settings */
  public Audit getAudit() {
    return audit;
  }

  /** @return DataSource wrapping settings */
  public DataSource getDatasource() {
    return datasource;
  }

  /** @return TenantFilter registration settings */
  public Filter getFilter() {
    return filter;
  }

  /** @return token service settings */
  public Tokens getTokens() {
    return tokens;
  }

  /** @return admin API and dashboard settings */
  public Admin getAdmin() {
    return admin;
  }

  /** @return request metrics settings */
  public Metrics getMetrics() {
    return metrics;
  }

  /** One tier: numeric limits (e.g. apiCallsPerMonth) and feature flags (e.g. sso). */
  public static class TierDefinition {
    /** Limits by name, e.g. apiCallsPerMonth, requestsPerSecond, storageBytes. */
    private Map<String, Long> limits = new LinkedHashMap<>();
    /** Feature flags by name, e.g. sso, auditExport. */
    private Map<String, Boolean> features = new LinkedHashMap<>();

    /** @return limits by name */
    public Map<String, Long> getLimits() {
      return limits;
    }

    /** @param limits limits by name */
    public void setLimits(Map<String, Long> limits) {
      this.limits = limits;
    }

    /** @return features by name */
    public Map<String, Boolean> getFeatures() {
      return features;
    }

    /** @param features features by name */
    public void setFeatures(Map<String, Boolean> features) {
      this.features = features;
    }
  }

  /** The JDBC tenant store, used when the application has a DataSource. */
  public static class Store {
    /** Schema of the tenant tables; the library default, tenancy, when unset. */
    private @Nullable String schema;
    /** Whether the store creates and migrates its tables at start-up. */
    private boolean migrate = true;

    /** @return the schema, or null for the default */
    public @Nullable String getSchema() {
      return schema;
    }

    /** @param schema the schema */
    public void setSchema(@Nullable String schema) {
      this.schema = schema;
    }

    /** @return whether tables are migrated at start-up */
    public boolean isMigrate() {
      return migrate;
    }

    /** @param migrate whether tables are migrated at start-up */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }
  }

  /** The quota manager. */
  public static class Quota {
    /** Share of a limit (above 0, at most 1) at which a soft-limit alert fires. */
    private double softThreshold = 0.8;
    /** Prefix of every quota key, so several applications can share one store. */
    private @Nullable String keyPrefix;

    /** @return the soft threshold */
    public double getSoftThreshold() {
      return softThreshold;
    }

    /** @param softThreshold the soft threshold */
    public void setSoftThreshold(double softThreshold) {
      this.softThreshold = softThreshold;
    }

    /** @return the key prefix, or null for the library's default */
    public @Nullable String getKeyPrefix() {
      return keyPrefix;
    }

    /** @param keyPrefix the key prefix */
    public void setKeyPrefix(@Nullable String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    // ---------------------------------------------------------------- Redis (spring-int)

    private final Redis redis = new Redis();

    /** @return the shared Redis quota store settings */
    public Redis getRedis() {
      return redis;
    }

    /**
     * A quota store on Redis shared by every app instance (tenancy-redis and Lettuce on the class path); without a
     * URL, quotas are counted in memory per instance.
     */
    public static class Redis {
      /** Where Redis is, e.g. redis://127.0.0.1:6379 or rediss://:password@redis.internal:6380/0. */
      private @Nullable String url;
      /** How long a quota call waits for Redis before the failure policy answers instead. */
      private Duration commandTimeout = Duration.ofMillis(500);
      /** How long after a failure the store waits before it tries Redis again. */
      private Duration recoveryInterval = Duration.ofSeconds(1);
      /**
       * What quota calls answer while Redis is unavailable: fail-closed refuses them (no tenant exceeds a limit),
       * fail-open counts in memory per instance until Redis is back.
       */
      private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

      /** @return the Redis URL, or null for in-memory quotas */
      public @Nullable String getUrl() {
        return url;
      }

      /** @param url the Redis URL */
      public void setUrl(@Nullable String url) {
        this.url = url;
      }

      /** @return the command timeout */
      public Duration getCommandTimeout() {
        return commandTimeout;
      }

      /** @param commandTimeout the command timeout */
      public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
      }

      /** @return the wait between recovery probes */
      public Duration getRecoveryInterval() {
        return recoveryInterval;
      }

      /** @param recoveryInterval the wait between recovery probes */
      public void setRecoveryInterval(Duration recoveryInterval) {
        this.recoveryInterval = recoveryInterval;
      }

      /** @return the failure policy */
      public FailurePolicy getFailurePolicy() {
        return failurePolicy;
      }

      /** @param failurePolicy the failure policy */
      public void setFailurePolicy(FailurePolicy failurePolicy) {
        this.failurePolicy = failurePolicy;
      }

      /**
       * Mirrors tenancy-redis's FailurePolicy, which these properties cannot name: tenancy-redis is optional.
       */
      public enum FailurePolicy {
        /** Refuse quota calls while Redis is unavailable. */
        FAIL_CLOSED,
        /** Count in memory, per app instance, while Redis is unavailable. */
        FAIL_OPEN
      }
    }
  }

  /** The audit log. */
  public static class Audit {
    /** Whether an AuditLog bean is created at all. */
    private boolean enabled = true;
    /** Schema of the JDBC audit table. */
    private String schema = "tenancy_audit";
    /** Whether the JDBC audit sink creates its table at start-up. */
    private boolean migrate = true;
    /**
     * The role that creates and owns the audit table (PostgreSQL): the application's role then only writes and reads
     * it, so the append-only trigger binds the role that serves requests. Unset: the application's role migrates.
     */
    private @Nullable String migrationUsername;
    /** The password of tenancy.audit.migration-username. */
    private @Nullable String migrationPassword;

    /** @return whether the audit log is created */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the audit log is created */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the audit schema */
    public String getSchema() {
      return schema;
    }

    /** @param schema the audit schema */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /** @return whether the audit table is migrated at start-up */
    public boolean isMigrate() {
      return migrate;
    }

    /** @param migrate whether the audit table is migrated at start-up */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /** @return the role that migrates the audit table, or null for the application's */
    public @Nullable String getMigrationUsername() {
      return migrationUsername;
    }

    /** @param migrationUsername the role that migrates the audit table */
    public void setMigrationUsername(@Nullable String migrationUsername) {
      this.migrationUsername = migrationUsername;
    }

    /** @return that role's password, or null */
    public @Nullable String getMigrationPassword() {
      return migrationPassword;
    }

    /** @param migrationPassword that role's password */
    public void setMigrationPassword(@Nullable String migrationPassword) {
      this.migrationPassword = migrationPassword;
    }
  }

  /** How the application's DataSource is made tenant-aware. */
  public static class DataSource {
    /** Whether the application's DataSource bean is wrapped into a TenantAwareDataSource. */
    private boolean wrap = true;
    /** How tenants are kept apart: rls (PostgreSQL row-level security) or schema (one schema per tenant). */
    private Strategy strategy = Strategy.RLS;
    /** The session setting RLS policies read the tenant id from; the library's default when unset. */
    private @Nullable String rlsSetting;
    /** Prefix of per-tenant schema names (schema strategy); the library's default when unset. */
    private @Nullable String schemaPrefix;
    /**
     * The schema platform (cross-tenant) connections use with the schema strategy: public by default, PUBLIC on H2
     * unless the URL has DATABASE_TO_LOWER=TRUE.
     */
    private @Nullable String platformSchema;

    /** @return whether the DataSource is wrapped */
    public boolean isWrap() {
      return wrap;
    }

    /** @param wrap whether the DataSource is wrapped */
    public void setWrap(boolean wrap) {
      this.wrap = wrap;
    }

    /** @return the isolation strategy */
    public Strategy getStrategy() {
      return strategy;
    }

    /** @param strategy the isolation strategy */
    public void setStrategy(Strategy strategy) {
      this.strategy = strategy;
    }

    /** @return the RLS setting name, or null */
    public @Nullable String getRlsSetting() {
      return rlsSetting;
    }

    /** @param rlsSetting the RLS setting name */
    public void setRlsSetting(@Nullable String rlsSetting) {
      this.rlsSetting = rlsSetting;
    }

    /** @return the schema prefix, or null */
    public @Nullable String getSchemaPrefix() {
      return schemaPrefix;
    }

    /** @param schemaPrefix the schema prefix */
    public void setSchemaPrefix(@Nullable String schemaPrefix) {
      this.schemaPrefix = schemaPrefix;
    }

    /** @return the platform schema (schema strategy), or null for the library's default */
    public @Nullable String getPlatformSchema() {
      return platformSchema;
    }

    /** @param platformSchema the platform schema (schema strategy) */
    public void setPlatformSchema(@Nullable String platformSchema) {
      this.platformSchema = platformSchema;
    }
  }

  /** The isolation strategies that can be chosen by property. */
  public enum Strategy {
    /** One shared schema, rows filtered by PostgreSQL row-level security. */
    RLS,
    /** One schema per tenant. */
    SCHEMA
  }

  /** The TenantFilter's servlet registration. */
  public static class Filter {
    /** Whether the TenantFilter is registered (it also needs a TenantTokenService bean). */
    private boolean enabled = true;
    /**
     * Filter order. The default, -110, runs before Spring Security's filter chain (-100), so security rules can
     * rely on the tenant context.
     */
    private int order = DEFAULT_FILTER_ORDER;
    /** URL patterns the filter applies to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /** @return whether the filter is registered */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the filter is registered */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the filter order */
    public int getOrder() {
      return order;
    }

    /** @param order the filter order */
    public void setOrder(int order) {
      this.order = order;
    }

    /** @return the URL patterns */
    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    /** @param urlPatterns the URL patterns */
    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }
  }

  /** The TenantTokenService that issues and verifies bearer tokens. */
  public static class Tokens {
    /**
     * HS256 shared secret (UTF-8, at least 32 bytes) that signs and verifies the service's tokens. Without it (and
     * without TokenKey beans) no token service is created.
     */
    private @Nullable String secret;
    /** Issuer (iss) of the tokens this service issues and accepts. */
    private String issuer = "tenancy";
    /** Audience (aud) the tokens carry and must carry. */
    private String audience = "tenancy";
    /** Key id (kid) of the secret, named in the tokens' header. */
    private String keyId = "hs256";
    /** How far exp, nbf and iat may be off to absorb clock skew (at most 5 minutes). */
    private Duration leeway = Duration.ofSeconds(30);
    /** Longest lifetime of a token the service issues. */
    private Duration maxLifetime = Duration.ofHours(24);
    /**
     * PEM public key (PUBLIC KEY or CERTIFICATE) of an RS256 (RSA, at least 2048 bits) or ES256 (EC P-256) key,
     * e.g. classpath:jwt.pub or file:/etc/app/jwt.pub; tokens it signed are accepted.
     */
    private @Nullable Resource publicKeyLocation;
    /** PEM private key that belongs to the public key; with it (and no secret) the service signs with that key. */
    private @Nullable Resource privateKeyLocation;
    /** Key id (kid) of the PEM key; rs256 or es256 by its algorithm when unset. */
    private @Nullable String pemKeyId;

    /** @return the secret, or null when unset */
    public @Nullable String getSecret() {
      return secret;
    }

    /** @param secret the HS256 secret */
    public void setSecret(@Nullable String secret) {
      this.secret = secret;
    }

    /** @return the issuer */
    public String getIssuer() {
      return issuer;
    }

    /** @param issuer the issuer */
    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    /** @return the audience */
    public String getAudience() {
      return audience;
    }

    /** @param audience the audience */
    public void setAudience(String audience) {
      this.audience = audience;
    }

    /** @return the key id of the secret */
    public String getKeyId() {
      return keyId;
    }

    /** @param keyId the key id of the secret */
    public void setKeyId(String keyId) {
      this.keyId = keyId;
    }

    /** @return the clock-skew leeway */
    public Duration getLeeway() {
      return leeway;
    }

    /** @param leeway the clock-skew leeway */
    public void setLeeway(Duration leeway) {
      this.leeway = leeway;
    }

    /** @return the longest token lifetime */
    public Duration getMaxLifetime() {
      return maxLifetime;
    }

    /** @param maxLifetime the longest token lifetime */
    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }

    /** @return the PEM public key, or null */
    public @Nullable Resource getPublicKeyLocation() {
      return publicKeyLocation;
    }

    /** @param publicKeyLocation the PEM public key */
    public void setPublicKeyLocation(@Nullable Resource publicKeyLocation) {
      this.publicKeyLocation = publicKeyLocation;
    }

    /** @return the PEM private key, or null */
    public @Nullable Resource getPrivateKeyLocation() {
      return privateKeyLocation;
    }

    /** @param privateKeyLocation the PEM private key */
    public void setPrivateKeyLocation(@Nullable Resource privateKeyLocation) {
      this.privateKeyLocation = privateKeyLocation;
    }

    /** @return the PEM key's id, or null for the algorithm's name */
    public @Nullable String getPemKeyId() {
      return pemKeyId;
    }

    /** @param pemKeyId the PEM key's id */
    public void setPemKeyId(@Nullable String pemKeyId) {
      this.pemKeyId = pemKeyId;
    }

    /** Masks the secret, so the properties can be logged. */
    @Override
    public String toString() {
      return "Tokens[issuer=" + issuer + ", audience=" + audience + ", keyId=" + keyId + ", secret="
          + (secret == null ? "unset" : "****") + "]";
    }
  }

  /** The admin REST API, the token endpoint and the dashboard servlets. */
  public static class Admin {
    /** Whether the admin API, token endpoint and dashboard servlets are registered. */
    private boolean enabled;
    /** Servlet mapping of the admin REST API (it needs a platform-admin token). */
    private String apiPath = "/api/v1/admin/*";
    /** Servlet mapping of the dashboard page. */
    private String dashboardPath = "/admin/*";
    /** Path of the endpoint that exchanges an API key for a bearer token. */
    private String tokenPath = "/api/v1/auth/token";
    /**
     * Platform-admin API key (tny_<id>_<secret>) imported at start-up if the key store lacks it; when unset, a new key
     * is generated and logged once.
     */
    private @Nullable String apiKey;
    /** Lifetime of the tokens the token endpoint issues. */
    private Duration tokenLifetime = Duration.ofMinutes(15);

    /** @return whether the servlets are registered */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the servlets are registered */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the admin API mapping */
    public String getApiPath() {
      return apiPath;
    }

    /** @param apiPath the admin API mapping */
    public void setApiPath(String apiPath) {
      this.apiPath = apiPath;
    }

    /** @return the dashboard mapping */
    public String getDashboardPath() {
      return dashboardPath;
    }

    /** @param dashboardPath the dashboard mapping */
    public void setDashboardPath(String dashboardPath) {
      this.dashboardPath = dashboardPath;
    }

    /** @return the token endpoint path */
    public String getTokenPath() {
      return tokenPath;
    }

    /** @param tokenPath the token endpoint path */
    public void setTokenPath(String tokenPath) {
      this.tokenPath = tokenPath;
    }

    /** @return the platform-admin API key, or null to generate one */
    public @Nullable String getApiKey() {
      return apiKey;
    }

    /** @param apiKey the platform-admin API key */
    public void setApiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
    }

    /** @return the lifetime of issued tokens */
    public Duration getTokenLifetime() {
      return tokenLifetime;
    }

    /** @param tokenLifetime the lifetime of issued tokens */
    public void setTokenLifetime(Duration tokenLifetime) {
      this.tokenLifetime = tokenLifetime;
    }

    /** Masks the API key, so the properties can be logged. */
    @Override
    public String toString() {
      return "Admin[enabled=" + enabled + ", apiPath=" + apiPath + ", dashboardPath=" + dashboardPath
          + ", tokenPath=" + tokenPath + ", apiKey=" + (apiKey == null ? "unset" : "****") + "]";
    }
  }

  /** Per-tenant request metrics and alerts. */
  public static class Metrics {
    /** Whether per-tenant request metrics are recorded into Micrometer. */
    private boolean enabled = true;
    /** How many of the busiest tenants get meters tagged with their slug; the rest share tenant=other. */
    private int taggedTenants = 50;

    /** @return whether metrics are recorded */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether metrics are recorded */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return how many tenants get their own tag */
    public int getTaggedTenants() {
      return taggedTenants;
    }

    /** @param taggedTenants how many tenants get their own tag */
    public void setTaggedTenants(int taggedTenants) {
      this.taggedTenants = taggedTenants;
    }
  }

  /**
   * Spring Security's {@code SecurityProperties.DEFAULT_FILTER_ORDER} (-100) minus ten: the tenant is resolved before
   * security runs. A constant here rather than a reference so the auto-configuration needs no Spring Security.
   */
  public static final int DEFAULT_FILTER_ORDER = -110;


  // ---------------------------------------------------------------- jobs, Redis, health (spring-int)

  private final Jobs jobs = new Jobs();
  private final Health health = new Health();

  /** @return per-tenant job settings */
  public Jobs getJobs() {
    return jobs;
  }

  /** @return Actuator health and info settings */
  public Health getHealth() {
    return health;
  }

  /** Per-tenant jobs run through {@code TenantJobs}. */
  public static class Jobs {
    /** How many tenants' jobs run at once in one TenantJobs run. */
    private int parallelism = 1;

    /** @return how many tenants' jobs run at once */
    public int getParallelism() {
      return parallelism;
    }

    /** @param parallelism how many tenants' jobs run at once */
    public void setParallelism(int parallelism) {
      this.parallelism = parallelism;
    }
  }

  /** The "tenancy" Actuator health indicator and info contributor. */
  public static class Health {
    /** Whether the "tenancy" health indicator and info contributor are created. */
    private boolean enabled = true;
    /** The most unhealthy tenants named in the health details; the rest are only counted. */
    private int maxDetails = 100;
    /**
     * How long one run of every tenant health check answers the health endpoint: a run checks every tenant, too
     * much work for each probe.
     */
    private Duration timeToLive = Duration.ofMinutes(1);

    /** @return whether the health indicator and info contributor are created */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the health indicator and info contributor are created */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the most unhealthy tenants named in the details */
    public int getMaxDetails() {
      return maxDetails;
    }

    /** @param maxDetails the most unhealthy tenants named in the details */
    public void setMaxDetails(int maxDetails) {
      this.maxDetails = maxDetails;
    }

    /** @return how long one run of the checks answers the health endpoint */
    public Duration getTimeToLive() {
      return timeToLive;
    }

    /** @param timeToLive how long one run of the checks answers the health endpoint */
    public void setTimeToLive(Duration timeToLive) {
      this.timeToLive = timeToLive;
    }
  }
}
