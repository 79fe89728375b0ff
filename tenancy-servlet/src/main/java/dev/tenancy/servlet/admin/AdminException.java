package dev.tenancy.servlet.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An admin API answer that is not a success: the status, the problem code of HTTP-API.md and a detail that is safe
 * to show (it never holds a stack trace, SQL or another tenant's identifier). Thrown by the handlers, written as
 * {@code application/problem+json} by the servlet.
 */
final class AdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One offending input: the field (a JSON member, query parameter or header) and the rule it breaks. */
  record FieldError(String field, String message) {
    FieldError {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }
  }

  private final int status;
  private final String code;
  private final transient List<FieldError> errors;
  private final transient Map<String, String> headers;

  AdminException(int status, String code, String detail) {
    this(status, code, detail, List.of(), Map.of());
  }

  AdminException(int status, String code, String detail, List<FieldError> errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  static AdminException validation(List<FieldError> errors) {
    String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid; see errors";
    return new AdminException(400, "validation-failed", detail, errors, Map.of());
  }

  static AdminException validation(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  static AdminException notFound(String detail) {
    return new AdminException(404, "not-found", detail);
  }

  static AdminException conflict(String detail) {
    return new AdminException(409, "conflict", detail);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String detail() {
    return getMessage();
  }

  List<FieldError> errors() {
    return errors;
  }

  Map<String, String> headers() {
    return headers;
  }
}
