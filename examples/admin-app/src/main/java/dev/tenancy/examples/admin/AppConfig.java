package dev.tenancy.examples.admin;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The example's settings, read from environment variables and overridden by {@code --flags} of the same name
 * ({@code --port=0}, {@code --tenancy-db-url=…} or {@code --TENANCY_DB_URL=…}), exactly as HTTP-API.md lists them.
 *
 * @param port HTTP port, 0 for a free one
 * @param dbUrl JDBC URL, {@code h2:mem} for a private in-memory database, or {@code null} for H2 files under ./data
 * @param isolation {@code schema}, {@code rls} or {@code database}, or {@code null} for the database's default
 * @param redisUrl {@code redis://host:port} for shared quotas, or {@code null} for in-memory ones
 * @param jwtSecret the HS256 secret, or {@code null} to generate one
 * @param jwtIssuer the {@code iss} issued and required
 * @param adminApiKey the platform-admin API key, or {@code null} to generate one
 * @param masterKeyFile a PKCS#12 keystore holding the KEK, or {@code null} for the development KEK
 * @param demo whether to provision the three demo agencies at start
 * @param dbUser the PostgreSQL role that owns the tables and migrates them ({@code TENANCY_DB_USER}), or {@code null}
 *     for the driver's default
 * @param dbAppUser the PostgreSQL role tenant data is accessed as under RLS ({@code TENANCY_DB_APP_USER}, default
 *     {@code tenancy_app}): created if missing, never the owner, never BYPASSRLS
 * @param dbPrefix the prefix of every tenant database's name under {@code TENANCY_ISOLATION=database}
 *     ({@code TENANCY_DB_PREFIX}, default {@code tenant_}); 1 to 21 characters a-z, 0-9 or {@code _}, starting with a
 *     letter
 */
public record AppConfig(int port, String dbUrl, String isolation, String redisUrl, String jwtSecret,
    String jwtIssuer, String adminApiKey, String masterKeyFile, boolean demo, String dbUser, String dbAppUser,
    String dbPrefix) {

  /** The variables the example reads, each also a {@code --flag}. */
  static final String[] VARIABLES = {"PORT", "TENANCY_DB_URL", "TENANCY_ISOLATION", "TENANCY_REDIS_URL",
      "TENANCY_JWT_SECRET", "TENANCY_JWT_ISSUER", "TENANCY_ADMIN_API_KEY", "TENANCY_MASTER_KEY_FILE",
      "TENANCY_DB_USER", "TENANCY_DB_APP_USER", "TENANCY_DB_PREFIX"};

  /**
   * Reads the configuration.
   *
   * @param environment usually {@link System#getenv()}
   * @param args command-line flags, which win over the environment
   * @return the configuration
   * @throws IllegalArgumentException naming the flag or variable that is wrong
   */
  public static AppConfig from(Map<String, String> environment, String... args) {
    Map<String, String> values = new HashMap<>();
    for (String name : VARIABLES) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        values.put(name, value.trim());
      }
    }
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.isBlank()) {
        continue;
      }
      if (arg.equals("--demo")) {
        demo = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("Unexpected argument '" + arg + "': use --name=value, e.g. --port=0");
      }
      String flag = arg.substring(2);
      String value;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("Flag --" + flag + " needs a value");
      }
      String name = flag.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!name.equals("PORT") && !name.startsWith("TENANCY_")) {
        name = "TENANCY_" + name;
      }
      if (!java.util.List.of(VARIABLES).contains(name)) {
        throw new IllegalArgumentException("Unknown flag --" + flag + "; known: --port, --tenancy-db-url, "
            + "--tenancy-isolation, --tenancy-redis-url, --tenancy-jwt-secret, --tenancy-jwt-issuer, "
            + "--tenancy-admin-api-key, --tenancy-master-key-file, --tenancy-db-user, --tenancy-db-app-user, --tenancy-db-prefix, "
            + "--demo");
      }
      values.put(name, value);
    }
    int port;
    try {
      port = Integer.parseInt(values.getOrDefault("PORT", "8080"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PORT must be a number between 0 and 65535, got '" + values.get("PORT") + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + port);
    }
    String isolation = values.get("TENANCY_ISOLATION");
    if (isolation != null && !java.util.Set.of("schema", "rls", "database").contains(isolation)) {
      throw new IllegalArgumentException("TENANCY_ISOLATION must be rls, schema or database, got '" + isolation + "'");
    }
    String secret = values.get("TENANCY_JWT_SECRET");
    if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("TENANCY_JWT_SECRET must be at least 32 bytes");
    }
    String dbPrefix = values.getOrDefault("TENANCY_DB_PREFIX", "tenant_");
    if (!dbPrefix.matches("[a-z][a-z0-9_]{0,20}")) {
      throw new IllegalArgumentException("TENANCY_DB_PREFIX must be 1 to 21 characters a-z, 0-9 or _, starting with "
          + "a letter, got '" + dbPrefix + "'");
    }
    return new AppConfig(port, values.get("TENANCY_DB_URL"), isolation, values.get("TENANCY_REDIS_URL"), secret,
        values.getOrDefault("TENANCY_JWT_ISSUER", "tenancy-example"), values.get("TENANCY_ADMIN_API_KEY"),
        values.get("TENANCY_MASTER_KEY_FILE"), demo, values.get("TENANCY_DB_USER"),
        values.getOrDefault("TENANCY_DB_APP_USER", "tenancy_app"), dbPrefix);
  }

  /** @return whether the database is PostgreSQL */
  public boolean postgres() {
    return dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
  }

  /** @return the isolation strategy in effect */
  public String effectiveIsolation() {
    return Optional.ofNullable(isolation).orElse(postgres() ? "rls" : "schema");
  }

  /** @return a copy on another port */
  public AppConfig withPort(int newPort) {
    return new AppConfig(newPort, dbUrl, isolation, redisUrl, jwtSecret, jwtIssuer, adminApiKey, masterKeyFile, demo,
        dbUser, dbAppUser, dbPrefix);
  }
}
