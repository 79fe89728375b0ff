package dev.tenancy.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tenancy.core.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Audit records as one line of canonical JSON (RFC 8785) each, the form the file sink, the JDBC sink and exports store:
 * {@code {"chain":…,"event":{…},"hash":…,"mac":…,"previousHash":…,"sequence":…}}. Writing and reading back gives the
 * same record, so its hash can be checked against exactly the text that was stored.
 *
 * @since 0.1.0
 */
public final class AuditRecordCodec {

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024).maxNestingDepth(4).build())
      .build();

  private AuditRecordCodec() {
  }

  /**
   * @param record a record
   * @return one line of canonical JSON, without a line break
   */
  public static String toJson(AuditRecord record) {
    Map<String, Object> members = CanonicalJson.object();
    members.put("chain", record.chain());
    members.put("event", eventMembers(record.event()));
    members.put("hash", record.hash());
    members.put("mac", record.mac());
    members.put("previousHash", record.previousHash());
    members.put("sequence", record.sequence());
    return CanonicalJson.write(members);
  }

  /**
   * @param event an event
   * @return the event alone as canonical JSON (what exports write)
   */
  public static String toJson(AuditEvent event) {
    return CanonicalJson.write(eventMembers(event));
  }

  /**
   * Reads a record written by {@link #toJson(AuditRecord)}.
   *
   * @param json one line
   * @return the record, exactly as written (its hash is not checked here: {@link AuditVerifier} does that)
   * @throws AuditStorageException if the text is not such a record, naming what is wrong
   */
  public static AuditRecord fromJson(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      Map<String, Object> members = object(parser, parser.nextToken());
      @SuppressWarnings("unchecked")
      Map<String, Object> event = (Map<String, Object>) require(members, "event", Map.class);
      return new AuditRecord(text(members, "chain"), number(members, "sequence"), text(members, "previousHash"),
          text(members, "hash"), optionalText(members, "mac"), event(event));
    } catch (IOException | RuntimeException e) {
      throw new AuditStorageException("not a readable audit record (" + e.getMessage() + "): "
          + abbreviate(json), e);
    }
  }

  static Map<String, Object> eventMembers(AuditEvent event) {
    Map<String, Object> members = CanonicalJson.object();
    members.put("action", event.action());
    members.put("actor", event.actor());
    members.put("actorType", event.actorType().name());
    members.put("category", event.category().name());
    members.put("details", new TreeMap<>(event.details()));
    members.put("id", event.id());
    members.put("outcome", event.outcome().name());
    members.put("resource", event.resource());
    members.put("sourceAddress", event.sourceAddress());
    members.put("tenant", event.tenant() == null ? null : event.tenant().toString());
    members.put("timestamp", event.timestamp().toString());
    members.put("traceId", event.traceId());
    return members;
  }

  private static AuditEvent event(Map<String, Object> members) {
    @SuppressWarnings("unchecked")
    Map<String, String> details = (Map<String, String>) require(members, "details", Map.class);
    String tenant = optionalText(members, "tenant");
    return new AuditEvent(text(members, "id"), Instant.parse(text(members, "timestamp")),
        tenant == null ? null : TenantId.of(tenant), AuditCategory.valueOf(text(members, "category")),
        text(members, "action"), text(members, "actor"), AuditActorType.valueOf(text(members, "actorType")),
        optionalText(members, "resource"), AuditOutcome.valueOf(text(members, "outcome")),
        optionalText(members, "traceId"), optionalText(members, "sourceAddress"), details);
  }

  private static Map<String, Object> object(JsonParser parser, @Nullable JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("expected an object, found " + start);
    }
    Map<String, Object> members = new HashMap<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      Object read = switch (value) {
        case START_OBJECT -> object(parser, value);
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT -> parser.getLongValue();
        case VALUE_NULL -> null;
        default -> throw new IllegalArgumentException("unexpected " + value + " for " + name);
      };
      if (members.put(name, read) != null) {
        throw new IllegalArgumentException("member " + name + " appears twice");
      }
    }
    return members;
  }

  private static Object require(Map<String, Object> members, String name, Class<?> type) {
    Object value = members.get(name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(name + " is missing or not a " + type.getSimpleName());
    }
    return value;
  }

  private static String text(Map<String, Object> members, String name) {
    return (String) require(members, name, String.class);
  }

  private static @Nullable String optionalText(Map<String, Object> members, String name) {
    return members.get(name) == null ? null : text(members, name);
  }

  private static long number(Map<String, Object> members, String name) {
    return (Long) require(members, name, Long.class);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
