package dev.tenancy.core.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one health check found, for one tenant or for the platform: a status, a sentence for people, and a few facts
 * for machines (counts, versions, positions) that the admin API shows as JSON.
 *
 * <p>A result is shown to operators and, for a tenant's own checks, may reach that tenant's administrators: the detail
 * and the facts must never hold another tenant's data, nor secrets (key bytes, passwords, tokens). Checks therefore
 * report counts, table names and positions, not row contents or exception messages of unknown origin.
 *
 * <pre>{@code
 * return CheckResult.degraded("the chain ends at 41 but a checkpoint vouches for 57: 16 events were lost")
 *     .withFact("lostEventsAtLeast", 16L);
 * }</pre>
 *
 * @param status the status
 * @param detail one or two sentences: what was found and, when not {@link HealthStatus#UP UP}, what to do
 * @param facts named values, each a {@link String}, {@link Boolean}, {@link Integer}, {@link Long} or {@link Double};
 *     in the order they were added
 * @since 0.1.0
 */
public record CheckResult(HealthStatus status, String detail, Map<String, Object> facts) {

  /**
   * Checks the parts and copies the facts, keeping their order.
   *
   * @throws IllegalArgumentException if the detail is blank, a fact name is blank, or a fact value is of another type
   */
  public CheckResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    if (detail.isBlank()) {
      throw new IllegalArgumentException("a check result says what was found: detail must not be blank");
    }
    Objects.requireNonNull(facts, "facts");
    Map<String, Object> copy = new LinkedHashMap<>();
    facts.forEach((name, value) -> copy.put(requireName(name), requireValue(name, value)));
    facts = Collections.unmodifiableMap(copy);
  }

  /**
   * @param detail what was checked and found sound
   * @return an {@link HealthStatus#UP UP} result without facts
   */
  public static CheckResult up(String detail) {
    return new CheckResult(HealthStatus.UP, detail, Map.of());
  }

  /**
   * @param detail what needs attention, and what to do
   * @return a {@link HealthStatus#DEGRADED DEGRADED} result without facts
   */
  public static CheckResult degraded(String detail) {
    return new CheckResult(HealthStatus.DEGRADED, detail, Map.of());
  }

  /**
   * @param detail what is broken, and what to do
   * @return a {@link HealthStatus#DOWN DOWN} result without facts
   */
  public static CheckResult down(String detail) {
    return new CheckResult(HealthStatus.DOWN, detail, Map.of());
  }

  /**
   * Adds (or replaces) one fact.
   *
   * @param name the fact's name, e.g. {@code rows}
   * @param value a {@link String}, {@link Boolean}, {@link Integer}, {@link Long} or {@link Double}
   * @return a result with the fact
   * @throws IllegalArgumentException if the name is blank or the value of another type
   */
  public CheckResult withFact(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(facts);
    more.put(requireName(name), requireValue(name, value));
    return new CheckResult(status, detail, more);
  }

  private static String requireName(String name) {
    Objects.requireNonNull(name, "fact name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a fact name must not be blank");
    }
    return name;
  }

  private static Object requireValue(String name, Object value) {
    Objects.requireNonNull(value, () -> "value of fact " + name);
    // Plain JSON scalars only: a fact renders the same in every admin API and log, and cannot smuggle an object
    // whose toString() prints more than intended.
    if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    throw new IllegalArgumentException("fact " + name + " must be a String, Boolean, Integer, Long or Double, was "
        + value.getClass().getName());
  }
}
