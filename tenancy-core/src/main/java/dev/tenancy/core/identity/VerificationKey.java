package dev.tenancy.core.identity;

import com.auth0.jwt.algorithms.Algorithm;
import java.util.Objects;

/**
 * A key as verification uses it: its id, the one algorithm it is configured with, and java-jwt's algorithm object
 * bound to it (thread-safe, built once).
 */
record VerificationKey(String kid, TokenAlgorithm algorithm, Algorithm jwt) {

  VerificationKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(jwt, "jwt");
  }

  @Override
  public String toString() {
    return "VerificationKey[kid=" + kid + ", algorithm=" + algorithm + "]";
  }
}
