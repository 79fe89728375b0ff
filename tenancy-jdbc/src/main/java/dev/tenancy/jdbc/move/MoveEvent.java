package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a move's journal: a step started, finished, failed, or was undone.
 *
 * @param tenant the tenant being moved
 * @param from the shard it is moved from
 * @param to the shard it is moved to
 * @param step the step
 * @param kind what happened
 * @param at when it happened
 * @param detail what the operator needs to know, e.g. {@code "copied 3 tables, 10000 rows"}
 */
public record MoveEvent(TenantId tenant, String from, String to, MoveStep step, Kind kind, Instant at,
    String detail) {

  /** What happened to a step. */
  public enum Kind {
    /** The step began. */
    STARTED,
    /** The step finished. */
    DONE,
    /** The step failed; the move is being undone. */
    FAILED,
    /** The step's work was undone after a later failure. */
    UNDONE,
    /** Undoing the step's work failed; the detail says what is left and how to clear it. */
    UNDO_FAILED
  }

  /** Checks that no part is missing. */
  public MoveEvent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return at + " " + step + " " + kind + (detail.isEmpty() ? "" : ": " + detail);
  }
}
