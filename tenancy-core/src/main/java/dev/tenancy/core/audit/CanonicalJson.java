package dev.tenancy.core.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSON in the canonical form of RFC 8785 (JCS) for the values audit records hold: objects with members sorted
 * by their names' UTF-16 code units, strings with the minimal escaping of ECMAScript's {@code JSON.stringify}, and
 * integers (every number here is a sequence, below 2^53, so it prints as digits). The same record always gives the
 * same bytes, on any JVM, which is what its hash is taken over.
 */
final class CanonicalJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(1024);

  /** @return a sorted map for an object's members; {@code null} values are left out when written */
  static Map<String, Object> object() {
    return new TreeMap<>();
  }

  static String write(Map<String, ?> object) {
    CanonicalJson json = new CanonicalJson();
    json.value(object);
    return json.out.toString();
  }

  /**
   * @param text any text
   * @return the text with every lone surrogate (which has no UTF-8 form, so {@link #write} refuses it) replaced by
   *     U+FFFD, or the text itself if it has none
   */
  static String wellFormed(String text) {
    StringBuilder fixed = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      if (fixed == null) {
        fixed = new StringBuilder(text);
      }
      fixed.setCharAt(i, '\uFFFD');
    }
    return fixed == null ? text : fixed.toString();
  }

  private void value(Object value) {
    if (value instanceof String text) {
      string(text);
    } else if (value instanceof Long || value instanceof Integer) {
      out.append(value);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof Map<?, ?> map) {
      object(map);
    } else {
      throw new IllegalArgumentException("not a canonical audit value: " + value.getClass().getName());
    }
  }

  private void object(Map<?, ?> map) {
    // TreeMap<String, …> already iterates in String.compareTo order, which is UTF-16 code unit order as JCS requires.
    Map<?, ?> sorted = map instanceof TreeMap<?, ?> ? map : new TreeMap<>(map);
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> member : sorted.entrySet()) {
      if (member.getValue() == null) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      string((String) member.getKey());
      out.append(':');
      value(member.getValue());
    }
    out.append('}');
  }

  private void string(String text) {
    out.append('"');
    // Copies runs of characters that need no escaping in one go: records are hashed on the writer's hot path.
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      out.append(text, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("audit text holds a lone surrogate at index " + i
                + "; it has no UTF-8 form and could not be hashed reproducibly");
          }
          out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
      }
    }
    out.append(text, run, text.length()).append('"');
  }
}
