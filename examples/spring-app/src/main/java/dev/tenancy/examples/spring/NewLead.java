package dev.tenancy.examples.spring;

import dev.tenancy.servlet.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/leads}. Fields may be missing in the JSON; {@link #validate()} says which rule the
 * body breaks, in words a client can act on.
 *
 * @param name who the lead is, required, at most 200 characters
 * @param email required, like {@code name@domain}
 * @param phone optional, at most 50 characters
 * @param notes optional, at most 4000 characters
 */
public record NewLead(@Nullable String name, @Nullable String email, @Nullable String phone, @Nullable String notes) {

  private static final int MAX_TEXT = 200;
  private static final int MAX_NOTES = 4000;

  /**
   * @throws ProblemException {@code 400 validation-failed} naming the first rule the body breaks
   */
  void validate() {
    String problem = null;
    if (name == null || name.isBlank() || name.length() > MAX_TEXT) {
      problem = "name is required, at most " + MAX_TEXT + " characters";
    } else if (email == null || email.length() > MAX_TEXT || !email.matches("[^@\\s]+@[^@\\s]+")) {
      problem = "email is required and must look like name@domain";
    } else if (phone != null && phone.length() > 50) {
      problem = "phone is at most 50 characters";
    } else if (notes != null && notes.length() > MAX_NOTES) {
      problem = "notes are at most " + MAX_NOTES + " characters";
    }
    if (problem != null) {
      throw new ProblemException(ProblemType.VALIDATION_FAILED, problem);
    }
  }
}
