package dev.tenancy.examples.spring;

import dev.tenancy.servlet.ProblemType;
import java.util.Objects;

/**
 * A refusal the API answers as {@code application/problem+json} with the same problem types the starter's filter
 * uses, so a client handles one vocabulary whichever layer said no.
 */
public final class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ProblemType type;

  /**
   * @param type the problem type (status and type URI)
   * @param detail what went wrong, safe to show the caller
   */
  public ProblemException(ProblemType type, String detail) {
    super(Objects.requireNonNull(detail, "detail"));
    this.type = Objects.requireNonNull(type, "type");
  }

  /** @return the problem type */
  public ProblemType type() {
    return type;
  }

  /**
   * @return {@code 404 not-found} for a lead the caller's agency does not have, the same answer whether it never
   *     existed or belongs to another agency
   */
  static ProblemException noSuchLead() {
    return new ProblemException(ProblemType.NOT_FOUND, "No such lead");
  }
}
