package dev.tenancy.examples.spring;

import dev.tenancy.servlet.ProblemType;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/users}.
 *
 * @param subject the new user's name, required
 * @param roles the roles to grant, at least one
 */
public record NewUser(@Nullable String subject, @Nullable List<String> roles) {

  /**
   * @return the roles, sorted
   * @throws ProblemException {@code 400 validation-failed} when the subject or the roles are missing
   */
  Set<String> validRoles() {
    if (subject == null || subject.isBlank() || roles == null || roles.isEmpty()) {
      throw new ProblemException(ProblemType.VALIDATION_FAILED,
          "Send {\"subject\":\"…\",\"roles\":[\"agent\"]}: subject and at least one role are required");
    }
    return new TreeSet<>(roles);
  }
}
