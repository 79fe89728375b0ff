package dev.tenancy.crypto;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.KeyGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KEK generated in memory at start-up, for development and tests only: every wrapped key is lost with the process,
 * so only pair it with an in-memory key store. It logs a loud warning once, and refuses to start when the environment
 * variable {@value #PROFILE_VARIABLE} (or the system property {@code tenancy.profile}) is {@code production} or
 * {@code prod}, so it is never used in production by accident.
 *
 * @since 0.1.0
 */
public final class DevelopmentKekProvider implements KeyEncryptionKeyProvider {

  /** The variable that, set to {@code production}, makes {@link #create()} refuse. */
  public static final String PROFILE_VARIABLE = "TENANCY_PROFILE";

  private static final Logger LOG = LoggerFactory.getLogger(DevelopmentKekProvider.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final LocalKek keys;

  private DevelopmentKekProvider(LocalKek keys) {
    this.keys = keys;
  }

  /**
   * Generates a development KEK, checking the process environment.
   *
   * @return the provider
   * @throws TenancyConfigurationException in production
   */
  public static DevelopmentKekProvider create() {
    return create(System.getenv(), System.getProperty("tenancy.profile"));
  }

  static DevelopmentKekProvider create(Map<String, String> environment, @Nullable String profileProperty) {
    String profile = profileProperty != null ? profileProperty : environment.get(PROFILE_VARIABLE);
    if (profile != null) {
      String p = profile.trim().toLowerCase(Locale.ROOT);
      if (p.equals("production") || p.equals("prod")) {
        throw new TenancyConfigurationException("DevelopmentKekProvider refuses to run with " + PROFILE_VARIABLE
            + "=" + profile + ": its KEK lives only in memory, so every encrypted value would be lost on restart; "
            + "configure KeystoreKekProvider, EnvironmentKekProvider or a KMS-backed provider");
      }
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("**************************************************************************************************");
      LOG.warn("* Tenancy is encrypting with a GENERATED DEVELOPMENT KEK. Data encrypted now is UNREADABLE after a *");
      LOG.warn("* restart. Never use this in production: configure KeystoreKekProvider or EnvironmentKekProvider. *");
      LOG.warn("**************************************************************************************************");
    }
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256);
      return new DevelopmentKekProvider(new LocalKek(Map.of("dev", generator.generateKey()), "dev"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no AES key generator", e);
    }
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

  @Override
  public String toString() {
    return "DevelopmentKekProvider[in-memory, not for production]";
  }
}
