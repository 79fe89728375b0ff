package dev.tenancy.core.audit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditEvent} sealed into its chain: its position, the hash of the record before it, and its own hash
 * (SHA-256 over the canonical JSON of chain, sequence, previous hash and event, RFC 8785), optionally authenticated with
 * an {@link AuditKey}. Changing, removing, inserting or moving any record breaks a hash or a link that
 * {@link AuditVerifier} checks.
 *
 * @param chain the chain: the tenant's id, or {@value #PLATFORM_CHAIN}
 * @param sequence the position in the chain, from 1, without gaps
 * @param previousHash the hash of the record at {@code sequence - 1}, or {@link #GENESIS} for the first
 * @param hash SHA-256 over {@link #canonicalContent()}, lower-case hex
 * @param mac HMAC-SHA256 of {@code hash} with the chain's {@link AuditKey}, or {@code null} when chains are not keyed
 * @param event the event
 * @since 0.1.0
 */
public record AuditRecord(String chain, long sequence, String previousHash, String hash, @Nullable String mac,
    AuditEvent event) {

  /** The chain of events that belong to no tenant (platform-wide actions). */
  public static final String PLATFORM_CHAIN = "platform";
  /** The previous hash of a chain's first record. */
  public static final String GENESIS = "0".repeat(64);
  /** The highest sequence a chain can reach (2^53 - 1, so that every JSON reader reads it exactly). */
  public static final long MAX_SEQUENCE = (1L << 53) - 1;

  /**
   * Checks the parts' form (not the hash: a record read back from storage may have been tampered with, which
   * {@link AuditVerifier} reports rather than this constructor refusing it).
   *
   * @throws IllegalArgumentException if the sequence is out of range or a hash is not 64 lower-case hex digits
   */
  public AuditRecord {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(event, "event");
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException("sequence must be between 1 and 2^53 - 1, was " + sequence);
    }
    requireHex(previousHash, "previousHash");
    requireHex(hash, "hash");
    if (mac != null) {
      requireHex(mac, "mac");
    }
  }

  /**
   * Seals an event into its chain.
   *
   * @param event the event; its {@link AuditEvent#chain()} is the record's chain
   * @param sequence its position, from 1
   * @param previousHash the hash of the record before, or {@link #GENESIS}
   * @param key the key to authenticate the record with, or {@code null}
   * @return the record
   */
  public static AuditRecord seal(AuditEvent event, long sequence, String previousHash, @Nullable AuditKey key) {
    String chain = event.chain();
    String hash = hashOf(chain, sequence, previousHash, event);
    return new AuditRecord(chain, sequence, previousHash, hash, key == null ? null : key.mac(hash), event);
  }

  /**
   * The exact text the hash is taken over: the canonical JSON (RFC 8785) of chain, event, previous hash and sequence.
   *
   * @return the canonical content
   */
  public String canonicalContent() {
    return canonicalContent(chain, sequence, previousHash, event);
  }

  /** @return whether {@link #hash()} is the hash of this record's content */
  public boolean hashMatches() {
    return hash.equals(hashOf(chain, sequence, previousHash, event));
  }

  /**
   * @param key the chain's key
   * @return whether {@link #mac()} authenticates {@link #hash()} under that key
   */
  public boolean macMatches(AuditKey key) {
    return mac != null && java.security.MessageDigest.isEqual(
        mac.getBytes(StandardCharsets.US_ASCII), key.mac(hash).getBytes(StandardCharsets.US_ASCII));
  }

  static String hashOf(String chain, long sequence, String previousHash, AuditEvent event) {
    byte[] content = canonicalContent(chain, sequence, previousHash, event).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(AuditKey.sha256(content));
  }

  private static String canonicalContent(String chain, long sequence, String previousHash, AuditEvent event) {
    Map<String, Object> content = CanonicalJson.object();
    content.put("chain", chain);
    content.put("event", AuditRecordCodec.eventMembers(event));
    content.put("previousHash", previousHash);
    content.put("sequence", sequence);
    return CanonicalJson.write(content);
  }

  private static void requireHex(String value, String name) {
    if (!isHex256(Objects.requireNonNull(value, name))) {
      throw new IllegalArgumentException(name + " must be 64 lower-case hex digits (SHA-256), was '" + value + "'");
    }
  }

  /** A loop rather than a regular expression: three of these run for every record sealed or read. */
  private static boolean isHex256(String value) {
    if (value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
