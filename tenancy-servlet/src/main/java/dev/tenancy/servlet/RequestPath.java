package dev.tenancy.servlet;

import jakarta.servlet.http.HttpServletRequest;

/** The request path without the context path: what path rules and resolvers match against. */
final class RequestPath {

  private RequestPath() {
  }

  static String of(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }
}
