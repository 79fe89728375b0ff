package dev.tenancy.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** How the filter refuses: a problem with the request's path as instance and its trace id. */
final class Refusal {

  private Refusal() {
  }

  static void send(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) {
    send(request, response, Problem.of(type, detail));
  }

  static void send(HttpServletRequest request, HttpServletResponse response, Problem problem) {
    Problems.write(request, response, problem);
  }
}
