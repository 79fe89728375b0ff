package dev.tenancy.crypto;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * KEKs from environment variables, each a base64 AES-256 key (e.g. {@code openssl rand -base64 32}) under a KEK id.
 * Suits platforms that inject secrets as variables; list the previous KEK too while {@link TenantKeys#rewrapAll()}
 * moves keys off it.
 *
 * <pre>{@code
 * KeyEncryptionKeyProvider kek = EnvironmentKekProvider.builder()
 *     .current("kek-2", "TENANCY_KEK")
 *     .previous("kek-1", "TENANCY_KEK_PREVIOUS")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EnvironmentKekProvider implements KeyEncryptionKeyProvider {

  private final LocalKek keys;
  private final Map<String, String> variables;

  private EnvironmentKekProvider(LocalKek keys, Map<String, String> variables) {
    this.keys = keys;
    this.variables = Map.copyOf(variables);
  }

  /** @return a builder reading {@link System#getenv()} */
  public static Builder builder() {
    return new Builder(System.getenv());
  }

  /**
   * @param environment the variables to read instead of the process environment (tests, a secrets file)
   * @return a builder reading the given variables
   */
  public static Builder builder(Map<String, String> environment) {
    return new Builder(environment);
  }

  @Override
  public String currentKeyId() {
    return keys.currentId();
  }

  @Override
  public WrappedKey wrap(byte[] dataKey, byte[] context) {
    return keys.wrap(dataKey, context);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] context) {
    return keys.unwrap(wrapped, context);
  }

  /** Names the KEK ids and variable names, never their values. */
  @Override
  public String toString() {
    return "EnvironmentKekProvider[current=" + keys.currentId() + ", variables=" + variables + "]";
  }

  /** Collects KEK versions; {@link #current} is required. */
  public static final class Builder {
    private final Map<String, String> environment;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private @Nullable String currentId;

    private Builder(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * @param kekId the id recorded with every key this KEK wraps, e.g. {@code kek-2}
     * @param variable the variable holding the base64 key
     * @return this builder
     */
    public Builder current(String kekId, String variable) {
      if (currentId != null) {
        throw new IllegalStateException("current KEK already set to '" + currentId + "'");
      }
      previous(kekId, variable);
      currentId = kekId;
      return this;
    }

    /**
     * @param kekId the id of an older KEK still needed to unwrap keys not yet re-wrapped
     * @param variable the variable holding its base64 key
     * @return this builder
     */
    public Builder previous(String kekId, String variable) {
      Objects.requireNonNull(kekId, "kekId");
      Objects.requireNonNull(variable, "variable");
      if (variables.putIfAbsent(kekId, variable) != null) {
        throw new IllegalArgumentException("KEK id '" + kekId + "' given twice");
      }
      return this;
    }

    /**
     * @return the provider
     * @throws TenancyConfigurationException if a variable is missing, not base64, or not 32 bytes
     */
    public EnvironmentKekProvider build() {
      if (currentId == null) {
        throw new IllegalStateException("name the current KEK with current(kekId, variable)");
      }
      Map<String, SecretKey> keys = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : variables.entrySet()) {
        String value = environment.get(entry.getValue());
        if (value == null || value.isBlank()) {
          throw new TenancyConfigurationException("Environment variable " + entry.getValue() + " (KEK '"
              + entry.getKey() + "') is not set; set it to a base64 AES-256 key, e.g. from openssl rand -base64 32");
        }
        byte[] raw;
        try {
          raw = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
          throw new TenancyConfigurationException("Environment variable " + entry.getValue() + " (KEK '"
              + entry.getKey() + "') is not valid base64");
        }
        try {
          if (raw.length != 32) {
            throw new TenancyConfigurationException("Environment variable " + entry.getValue() + " (KEK '"
                + entry.getKey() + "') decodes to " + raw.length + " bytes; an AES-256 KEK is 32 bytes");
          }
          keys.put(entry.getKey(), new SecretKeySpec(raw, "AES"));
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
      }
      return new EnvironmentKekProvider(new LocalKek(keys, currentId), variables);
    }
  }
}
