package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the members of one JSON object, collecting every field-level error instead of stopping at the first, and
 * naming each field by its path ({@code limits.apiCallsPerMonth}, {@code items[3].slug}).
 */
final class Fields {

  private final JsonNode object;
  private final String prefix;
  private final List<AdminException.FieldError> errors;

  private Fields(JsonNode object, String prefix, List<AdminException.FieldError> errors) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
  }

  /**
   * Starts reading an object; a value that is not an object is an error on {@code name} (or {@code body}).
   *
   * @param allowed the members the object may have; every other member is an error
   */
  static Fields of(JsonNode node, String prefix, Set<String> allowed) {
    Fields fields = new Fields(node, prefix, new ArrayList<>());
    if (!node.isObject()) {
      fields.error(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "must be a JSON object");
      return fields;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        fields.error(clip(name), "is not a known field; allowed: " + String.join(", ", allowed));
      }
    }
    return fields;
  }

  List<AdminException.FieldError> errors() {
    return errors;
  }

  /** @throws AdminException 400 with every error collected, if there is any */
  void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw AdminException.validation(errors);
    }
  }

  boolean has(String name) {
    return object.isObject() && object.has(name) && !object.get(name).isNull();
  }

  @Nullable String text(String name, boolean required) {
    JsonNode value = object.isObject() ? object.get(name) : null;
    if (value == null || value.isNull()) {
      if (required) {
        error(name, "is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      error(name, "must be a string");
      return null;
    }
    return value.textValue();
  }

  @Nullable Long integer(String name) {
    JsonNode value = object.isObject() ? object.get(name) : null;
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      error(name, "must be a whole number");
      return null;
    }
    return value.longValue();
  }

  @Nullable Boolean bool(String name) {
    JsonNode value = object.isObject() ? object.get(name) : null;
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      error(name, "must be true or false");
      return null;
    }
    return value.booleanValue();
  }

  /** An upper-case enum constant out of {@code allowed}. */
  <E extends Enum<E>> @Nullable E constant(String name, Class<E> type, Set<E> allowed) {
    String text = text(name, false);
    if (text == null) {
      return null;
    }
    for (E candidate : allowed) {
      if (candidate.name().equals(text.toUpperCase(Locale.ROOT))) {
        return candidate;
      }
    }
    error(name, "must be one of " + allowed + ", was '" + clip(text) + "'");
    return null;
  }

  @Nullable Map<String, Boolean> flags(String name) {
    return map(name, "true or false", JsonNode::isBoolean, JsonNode::booleanValue);
  }

  @Nullable Map<String, Long> limits(String name) {
    return map(name, "a whole number", node -> node.isIntegralNumber() && node.canConvertToLong(),
        JsonNode::longValue);
  }

  @Nullable Map<String, String> settings(String name) {
    return map(name, "a string", JsonNode::isTextual, JsonNode::textValue);
  }

  private <V> @Nullable Map<String, V> map(String name, String kind, java.util.function.Predicate<JsonNode> accept,
      java.util.function.Function<JsonNode, V> convert) {
    JsonNode value = object.isObject() ? object.get(name) : null;
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      error(name, "must be a JSON object");
      return null;
    }
    Map<String, V> result = new LinkedHashMap<>();
    boolean ok = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!accept.test(entry.getValue())) {
        error(name + "." + clip(entry.getKey()), "must be " + kind);
        ok = false;
      } else {
        result.put(entry.getKey(), convert.apply(entry.getValue()));
      }
    }
    return ok ? result : null;
  }

  void error(String field, String message) {
    errors.add(new AdminException.FieldError(prefix + field, message));
  }

  /** Field names come from the client: keep them short and printable in answers. */
  static String clip(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
