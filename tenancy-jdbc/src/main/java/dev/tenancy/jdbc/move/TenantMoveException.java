package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * Thrown when a move fails: names the step that failed, tells whether the move was undone — the tenant serving from its
 * original place with its original status — and lists what could not be cleaned up. The journal shows every step up to
 * the failure and every undo.
 */
public final class TenantMoveException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final String from;
  private final String to;
  private final MoveStep failedStep;
  private final boolean rolledBack;
  private final List<String> leftovers;
  private final List<MoveEvent> journal;

  TenantMoveException(TenantId tenant, String from, String to, MoveStep failedStep, boolean rolledBack,
      List<String> leftovers, List<MoveEvent> journal, Throwable cause) {
    super(message(tenant, from, to, failedStep, rolledBack, leftovers, cause), cause);
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.from = from;
    this.to = to;
    this.failedStep = failedStep;
    this.rolledBack = rolledBack;
    this.leftovers = List.copyOf(leftovers);
    this.journal = List.copyOf(journal);
  }

  private static String message(TenantId tenant, String from, String to, MoveStep step, boolean rolledBack,
      List<String> leftovers, Throwable cause) {
    StringBuilder message = new StringBuilder("Moving tenant ").append(tenant).append(" from shard '").append(from)
        .append("' to '").append(to).append("' failed at step ").append(step).append(": ")
        .append(cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage()).append(". ");
    if (rolledBack) {
      message.append("The move was undone: the tenant serves from '").append(from)
          .append("' with its original status.");
    } else {
      message.append("The move could NOT be fully undone; see the journal for where it stopped.");
    }
    if (!leftovers.isEmpty()) {
      message.append(" Left to clean up by hand: ").append(String.join("; ", leftovers)).append('.');
    }
    return message.toString();
  }

  /** @return the tenant that was being moved */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the shard it was moved from */
  public String from() {
    return from;
  }

  /** @return the shard it was moved to */
  public String to() {
    return to;
  }

  /** @return the step that failed */
  public MoveStep failedStep() {
    return failedStep;
  }

  /**
   * @return {@code true} if the tenant serves from its original place with its original status (cleaning up the
   *     target may still have left {@link #leftovers()})
   */
  public boolean rolledBack() {
    return rolledBack;
  }

  /** @return what the undo could not remove or restore, each with how to do it by hand; empty if nothing */
  public List<String> leftovers() {
    return leftovers;
  }

  /** @return the move's journal up to the failure and through the undo */
  public List<MoveEvent> journal() {
    return journal;
  }
}
