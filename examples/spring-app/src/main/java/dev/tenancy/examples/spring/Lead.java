package dev.tenancy.examples.spring;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A lead of the current agency, as the API shows it. No tenant field: the row's tenant is the caller's by
 * construction, so nothing in the answer could name another.
 *
 * @param id the lead's id
 * @param name who the lead is
 * @param email how to reach them
 * @param phone a phone number, if given
 * @param notes the agent's notes, if any
 * @param stale whether the stale-leads job found it untouched for too long
 * @param createdAt when it was created
 */
public record Lead(UUID id, String name, String email, @Nullable String phone, @Nullable String notes, boolean stale,
    Instant createdAt) {

  /** Checks the required parts. */
  public Lead {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
