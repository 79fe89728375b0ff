package dev.tenancy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void problemTypes_matchTheHttpContract() {
    assertThat(ProblemType.values()).extracting(ProblemType::code).containsExactly("invalid-token", "forbidden",
        "cross-tenant-access", "tenant-suspended", "quota-exceeded", "rate-limited", "validation-failed", "conflict",
        "not-found", "payload-too-large", "unsupported-media-type", "internal", "unavailable");
    assertThat(ProblemType.values()).extracting(ProblemType::status)
        .containsExactly(401, 403, 403, 403, 429, 429, 400, 409, 404, 413, 415, 500, 503);
    assertThat(ProblemType.CROSS_TENANT_ACCESS.type())
        .hasToString("https://tenancy.dev/problems/cross-tenant-access");
  }

  @Test
  void json_hasStandardMembersThenExtensions() throws Exception {
    Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "The request has invalid fields.")
        .withInstance("/api/v1/admin/tenants")
        .withTraceId("abc123")
        .with("errors", List.of(Map.of("field", "slug", "message", "too short")));

    JsonNode body = JSON.readTree(Problems.json(problem));

    assertThat(body.get("type").asText()).isEqualTo("https://tenancy.dev/problems/validation-failed");
    assertThat(body.get("title").asText()).isEqualTo("Validation failed");
    assertThat(body.get("status").asInt()).isEqualTo(400);
    assertThat(body.get("detail").asText()).isEqualTo("The request has invalid fields.");
    assertThat(body.get("instance").asText()).isEqualTo("/api/v1/admin/tenants");
    assertThat(body.get("traceId").asText()).isEqualTo("abc123");
    assertThat(body.get("errors").get(0).get("field").asText()).isEqualTo("slug");
    assertThat(JSON.readTree(Problems.json(problem)).fieldNames()).toIterable()
        .containsExactly("type", "title", "status", "detail", "instance", "traceId", "errors");
  }

  @Test
  void json_leavesOutAbsentMembers() throws Exception {
    JsonNode body = JSON.readTree(Problems.json(Problem.of(ProblemType.INTERNAL, null)));
    assertThat(body.fieldNames()).toIterable().containsExactly("type", "title", "status");
  }

  @Test
  void extension_cannotHideAStandardMember() {
    assertThatThrownBy(() -> Problem.of(ProblemType.CONFLICT, "x").with("status", 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status");
  }
}
