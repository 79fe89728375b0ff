package dev.tenancy.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chain's head at one moment — its last sequence and hash — kept outside the event store
 * ({@link dev.tenancy.core.spi.AuditCheckpointStore}). Because the store cannot change it, a checkpoint exposes what
 * a chain alone cannot: events cut off the end, and a whole store rolled back to an older copy. After retention purges
 * old events, the checkpoint at the last purged position anchors the first retained one.
 *
 * @param chain the chain
 * @param sequence the sequence of the chain's last record when the checkpoint was taken
 * @param hash that record's hash
 * @param createdAt when the checkpoint was taken, truncated to microseconds
 * @param signature HMAC-SHA256 over the checkpoint's canonical content with the chain's {@link AuditKey}, or
 *     {@code null} when chains are not keyed
 * @since 0.1.0
 */
public record AuditCheckpoint(String chain, long sequence, String hash, Instant createdAt, @Nullable String signature) {

  /** Checks the parts' form. */
  public AuditCheckpoint {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(hash, "hash");
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    if (sequence < 1 || sequence > AuditRecord.MAX_SEQUENCE) {
      throw new IllegalArgumentException("sequence must be between 1 and 2^53 - 1, was " + sequence);
    }
  }

  /**
   * Takes a checkpoint of a chain's head.
   *
   * @param head the chain's last record
   * @param createdAt now
   * @param key the chain's key, or {@code null}
   * @return the checkpoint, signed when a key is given
   */
  public static AuditCheckpoint of(AuditRecord head, Instant createdAt, @Nullable AuditKey key) {
    AuditCheckpoint unsigned = new AuditCheckpoint(head.chain(), head.sequence(), head.hash(), createdAt, null);
    return key == null ? unsigned : new AuditCheckpoint(unsigned.chain, unsigned.sequence, unsigned.hash,
        unsigned.createdAt, key.mac(unsigned.canonicalContent()));
  }

  /**
   * @param key the chain's key
   * @return whether the signature is present and authenticates this checkpoint under the key
   */
  public boolean signatureMatches(AuditKey key) {
    return signature != null && MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
        key.mac(canonicalContent()).getBytes(StandardCharsets.US_ASCII));
  }

  /** @return the canonical JSON (RFC 8785) of chain, creation time, hash and sequence: what the signature covers */
  public String canonicalContent() {
    Map<String, Object> members = CanonicalJson.object();
    members.put("chain", chain);
    members.put("createdAt", createdAt.toString());
    members.put("hash", hash);
    members.put("sequence", sequence);
    return CanonicalJson.write(members);
  }
}
