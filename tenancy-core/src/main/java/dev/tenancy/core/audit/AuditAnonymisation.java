package dev.tenancy.core.audit;

import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an anonymised {@link AuditExport} replaces by keyed pseudonyms: always the actor and the source address, the
 * details listed here, and the resource if asked. Everything else (id, time, tenant, category, action, actor type,
 * outcome, trace id, the other details) is exported as stored, so list every detail key that can carry personal data.
 *
 * <pre>{@code
 * AuditAnonymisation rules = AuditAnonymisation.of("email", "phone").withResource();
 * }</pre>
 *
 * @param detailKeys the detail keys whose values are replaced, matched ignoring case (held in lower case)
 * @param resource whether the resource is replaced too (when it names a person, e.g. {@code user/alice})
 * @since 0.1.0
 */
public record AuditAnonymisation(Set<String> detailKeys, boolean resource) {

  /**
   * Checks the keys and keeps them in lower case.
   *
   * @throws IllegalArgumentException if a key is blank
   */
  public AuditAnonymisation {
    Objects.requireNonNull(detailKeys, "detailKeys");
    TreeSet<String> keys = new TreeSet<>();
    for (String key : detailKeys) {
      if (Objects.requireNonNull(key, "detail key").isBlank()) {
        throw new IllegalArgumentException("an anonymised detail key must not be blank");
      }
      keys.add(key.toLowerCase(Locale.ROOT));
    }
    detailKeys = Collections.unmodifiableSet(keys);
  }

  /**
   * Replaces actor, source address and the given details; keeps the resource.
   *
   * @param detailKeys the detail keys that can carry personal data, e.g. {@code email}
   * @return the rules
   */
  public static AuditAnonymisation of(String... detailKeys) {
    return new AuditAnonymisation(Set.copyOf(Arrays.asList(detailKeys)), false);
  }

  /** @return the same rules that also replace the resource */
  public AuditAnonymisation withResource() {
    return new AuditAnonymisation(detailKeys, true);
  }

  /**
   * @param key a detail key as stored
   * @return whether its value is replaced
   */
  boolean coversDetail(String key) {
    return detailKeys.contains(key.toLowerCase(Locale.ROOT));
  }
}
