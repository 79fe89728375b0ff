package dev.tenancy.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Replaces personal values by keyed pseudonyms for one export: {@code anon-} and the first 128 bits of
 * HMAC-SHA256(value) under a random key that lives only as long as this object. The same value gives the same
 * pseudonym within the export (so an auditor can follow one subject), and a different one in every other export
 * (so two exports cannot be joined on pseudonyms). A plain hash would do neither: anyone could hash a guessed e-mail
 * address and find it. One key for every field, on purpose: the actor who appears in another event's detail gets the
 * same pseudonym there.
 *
 * <p>Not thread-safe; an export is written by one thread.
 */
final class Pseudonymiser {

  static final String PREFIX = "anon-";
  private static final int KEY_BYTES = 32;
  private static final int PSEUDONYM_BYTES = 16;

  private final Mac mac;
  private final AuditAnonymisation rules;

  private Pseudonymiser(Mac mac, AuditAnonymisation rules) {
    this.mac = mac;
    this.rules = rules;
  }

  /**
   * @param rules what to replace
   * @param random where the key comes from
   * @return a pseudonymiser with a fresh key nobody else ever sees
   */
  static Pseudonymiser withFreshKey(AuditAnonymisation rules, SecureRandom random) {
    byte[] secret = new byte[KEY_BYTES];
    random.nextBytes(secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return new Pseudonymiser(mac, rules);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 must be available on every Java platform", e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  String pseudonym(String value) {
    byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return PREFIX + HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
  }

  private @Nullable String pseudonymOrNull(@Nullable String value) {
    return value == null ? null : pseudonym(value);
  }

  /** @return the event with actor, source address, listed details (and the resource if asked) replaced */
  AuditEvent apply(AuditEvent event) {
    Map<String, String> details = new TreeMap<>();
    event.details().forEach((key, value) -> details.put(key, rules.coversDetail(key) ? pseudonym(value) : value));
    return new AuditEvent(event.id(), event.timestamp(), event.tenant(), event.category(), event.action(),
        pseudonym(event.actor()), event.actorType(), rules.resource() ? pseudonymOrNull(event.resource())
            : event.resource(), event.outcome(), event.traceId(), pseudonymOrNull(event.sourceAddress()), details);
  }
}
