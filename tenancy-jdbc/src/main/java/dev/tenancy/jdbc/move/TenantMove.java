package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished move: the tenant serves from {@code to} with its original status.
 *
 * @param tenant the tenant
 * @param from the shard it was moved from
 * @param to the shard it serves from now
 * @param rows rows copied per table, in foreign-key load order
 * @param took how long the move took, waits included
 * @param journal every step, in order
 * @param leftovers what of the old copy could not be erased after the move committed (each with how to erase it
 *     by hand); normally empty
 */
public record TenantMove(TenantId tenant, String from, String to, Map<String, Long> rows, Duration took,
    List<MoveEvent> journal, List<String> leftovers) {

  /** Copies the collections and checks that no part is missing. */
  public TenantMove {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(took, "took");
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    journal = List.copyOf(journal);
    leftovers = List.copyOf(leftovers);
  }

  /**
   * How long each step took, from its {@code STARTED} to its {@code DONE} journal line (waits included).
   *
   * @return step → duration, in step order
   */
  public Map<MoveStep, Duration> stepDurations() {
    Map<MoveStep, Duration> durations = new EnumMap<>(MoveStep.class);
    Map<MoveStep, Instant> started = new EnumMap<>(MoveStep.class);
    for (MoveEvent event : journal) {
      if (event.kind() == MoveEvent.Kind.STARTED) {
        started.put(event.step(), event.at());
      } else if (event.kind() == MoveEvent.Kind.DONE && started.containsKey(event.step())) {
        durations.put(event.step(), Duration.between(started.get(event.step()), event.at()));
      }
    }
    return Collections.unmodifiableMap(durations);
  }

  /** @return how many rows were moved in all */
  public long totalRows() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }
}
