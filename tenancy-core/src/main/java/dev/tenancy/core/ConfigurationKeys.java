package dev.tenancy.core;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Validation shared by every map of named limits, features and settings. */
final class ConfigurationKeys {

  static final String KEY_RULE = "keys are 1 to 64 characters of letters, digits, '.', '_' or '-', starting with a letter";

  private ConfigurationKeys() {
  }

  static boolean isValidKey(String key) {
    if (key.isEmpty() || key.length() > 64) {
      return false;
    }
    char first = key.charAt(0);
    if (!isAsciiLetter(first)) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Copies a map into an immutable, key-sorted one, validating every entry. */
  static <V> Map<String, V> copy(String field, Map<String, V> source, BiConsumer<String, V> valueCheck) {
    Objects.requireNonNull(source, field);
    TreeMap<String, V> sorted = new TreeMap<>();
    source.forEach((key, value) -> {
      if (key == null || !isValidKey(key)) {
        throw new TenantValidationException(field, "Invalid key '" + key + "' in " + field + ": " + KEY_RULE);
      }
      if (value == null) {
        throw new TenantValidationException(field + "." + key, field + "." + key + " must not be null");
      }
      valueCheck.accept(key, value);
      sorted.put(key, value);
    });
    return java.util.Collections.unmodifiableMap(sorted);
  }

  static Map<String, Long> limits(String field, Map<String, Long> source) {
    return copy(field, source, (key, value) -> {
      if (value < 0) {
        throw new TenantValidationException(field + "." + key,
            field + "." + key + " must be zero or positive (omit a limit to make it unlimited), was " + value);
      }
    });
  }

  static Map<String, Boolean> features(String field, Map<String, Boolean> source) {
    return copy(field, source, (key, value) -> { });
  }

  static Map<String, String> settings(String field, Map<String, String> source) {
    return copy(field, source, (key, value) -> {
      if (value.length() > 4096) {
        throw new TenantValidationException(field + "." + key, field + "." + key + " is longer than 4096 characters");
      }
    });
  }

  static String tierName(String name) {
    Objects.requireNonNull(name, "tier");
    if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new TenantValidationException("tier",
          "Invalid tier name '" + name + "': 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter");
    }
    return name;
  }

  static String apiVersion(String version) {
    if (version.isEmpty() || version.length() > 32 || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new TenantValidationException("apiVersion",
          "Invalid apiVersion '" + version + "': 1 to 32 letters, digits, '.', '_' or '-', such as 2025-01 or v2");
    }
    return version;
  }
}
