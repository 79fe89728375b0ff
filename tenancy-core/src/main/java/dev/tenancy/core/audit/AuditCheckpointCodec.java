package dev.tenancy.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint as one line of canonical JSON: the members its signature covers ({@link AuditCheckpoint#canonicalContent()})
 * plus the signature, {@code {"chain":…,"createdAt":…,"hash":…,"sequence":…,"signature":…}}. Reading a line back gives
 * a checkpoint whose canonical content, and so whose signature check, is exactly that of the one written.
 */
final class AuditCheckpointCodec {

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(4096).maxNestingDepth(1).build())
      .build();

  private AuditCheckpointCodec() {
  }

  static String toJson(AuditCheckpoint checkpoint) {
    Map<String, Object> members = CanonicalJson.object();
    members.put("chain", checkpoint.chain());
    members.put("createdAt", checkpoint.createdAt().toString());
    members.put("hash", checkpoint.hash());
    members.put("sequence", checkpoint.sequence());
    members.put("signature", checkpoint.signature());
    return CanonicalJson.write(members);
  }

  /**
   * @throws AuditStorageException if the line is not a checkpoint, naming what is wrong
   */
  static AuditCheckpoint fromJson(String line) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected an object");
      }
      Map<String, @Nullable Object> members = new HashMap<>();
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
        String name = parser.currentName();
        Object value = switch (parser.nextToken()) {
          case VALUE_STRING -> parser.getText();
          case VALUE_NUMBER_INT -> parser.getLongValue();
          case VALUE_NULL -> null;
          default -> throw new IllegalArgumentException("unexpected " + parser.currentToken() + " for " + name);
        };
        if (members.containsKey(name)) {
          throw new IllegalArgumentException("member " + name + " appears twice");
        }
        members.put(name, value);
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("text after the object");
      }
      Object signature = members.get("signature");
      if (signature != null && !(signature instanceof String)) {
        throw new IllegalArgumentException("signature is not a string");
      }
      return new AuditCheckpoint(text(members, "chain"), number(members, "sequence"), text(members, "hash"),
          Instant.parse(text(members, "createdAt")), (String) signature);
    } catch (IOException | RuntimeException e) {
      throw new AuditStorageException("not a readable audit checkpoint (" + e.getMessage() + "): "
          + (line.length() <= 200 ? line : line.substring(0, 200) + "…"), e);
    }
  }

  private static String text(Map<String, @Nullable Object> members, String name) {
    if (!(members.get(name) instanceof String text)) {
      throw new IllegalArgumentException(name + " is missing or not a string");
    }
    return text;
  }

  private static long number(Map<String, @Nullable Object> members, String name) {
    if (!(members.get(name) instanceof Long number)) {
      throw new IllegalArgumentException(name + " is missing or not an integer");
    }
    return number;
  }
}
