package dev.tenancy.core.identity;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks for an API key's secret in everything an object holds: its fields (our classes), maps, collections, records,
 * strings and byte arrays — in every encoding we could have stored it in by mistake.
 */
final class SecretScan {

  private final List<String> needles = new ArrayList<>();
  private final byte[] rawSecret;
  private final List<String> findings = new ArrayList<>();
  private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private SecretScan(String key) {
    // The secret is the fixed-width tail: it may itself contain '_'.
    String secretPart = key.substring(key.length() - 43);
    rawSecret = Base64.getUrlDecoder().decode(secretPart);
    needles.add(key);
    needles.add(secretPart);
    needles.add(Base64.getEncoder().encodeToString(rawSecret));
    needles.add(HexFormat.of().formatHex(rawSecret));
  }

  /** @return where the secret was found in {@code root}; empty if nowhere */
  static List<String> find(Object root, String key) {
    SecretScan scan = new SecretScan(key);
    scan.visit(root, root.getClass().getSimpleName());
    return scan.findings;
  }

  private void visit(Object value, String path) {
    if (value == null || value instanceof Class<?> || !seen.add(value)) {
      return;
    }
    if (value instanceof String text) {
      for (String needle : needles) {
        if (text.contains(needle)) {
          findings.add(path + " contains the secret");
        }
      }
      return;
    }
    if (value instanceof byte[] bytes) {
      if (indexOf(bytes, rawSecret) >= 0) {
        findings.add(path + " holds the raw secret bytes");
      }
      visit(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), path + "(as text)");
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        visit(k, path + ".key");
        visit(v, path + "[" + k + "]");
      });
      return;
    }
    if (value instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        visit(element, path + "[" + i++ + "]");
      }
      return;
    }
    if (value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        try {
          java.lang.reflect.Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          visit(accessor.invoke(value), path + "." + component.getName());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      visit(value.toString(), path + ".toString()");
      return;
    }
    if (value.getClass().getName().startsWith("dev.tenancy.")) {
      for (Class<?> type = value.getClass(); type != null && type.getName().startsWith("dev.tenancy.");
          type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers())) {
            continue;
          }
          field.setAccessible(true);
          try {
            visit(field.get(value), path + "." + field.getName());
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    visit(value.toString(), path + ".toString()");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
