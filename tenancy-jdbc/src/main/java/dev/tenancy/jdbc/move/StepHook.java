package dev.tenancy.jdbc.move;

/**
 * A seam for tests: called before each step runs and after its work is done but before it counts as done — so a
 * failure thrown from here is a failure of that step, and the move must undo whatever the step already did. Not
 * called after {@link MoveStep#RESTORE}, whose status write commits the move.
 */
@FunctionalInterface
interface StepHook {

  /** No failures injected. */
  StepHook NONE = (step, phase) -> { };

  /** Where in a step the hook is called. */
  enum Phase {
    /** Before the step does anything. */
    BEFORE,
    /** After the step's work, before it counts as done. */
    AFTER
  }

  /**
   * @param step the step
   * @param phase before or after its work
   * @throws Exception to make the step fail
   */
  void reached(MoveStep step, Phase phase) throws Exception;
}
