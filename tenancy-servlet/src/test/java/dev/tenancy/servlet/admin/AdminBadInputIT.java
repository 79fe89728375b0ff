package dev.tenancy.servlet.admin;

import static dev.tenancy.servlet.admin.AdminFixture.json;
import static dev.tenancy.servlet.admin.TenantAdminServletIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bad-input rules of HTTP-API.md, each checked for status, problem type and that nothing was created. */
class AdminBadInputIT {

  private static AdminFixture fx;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new AdminFixture();
    token = fx.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  private static HttpResponse<String> create(String contentType, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest.Builder request = fx.admin("/tenants", token).POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return fx.send(request);
  }

  private static long tenantCount() throws Exception {
    return json(fx.send(fx.admin("/tenants", token).GET())).get("total").asLong();
  }

  @Test
  void malformedJson_400ValidationFailed_withoutEchoingTheBody() throws Exception {
    long before = tenantCount();
    for (String body : new String[] {"{\"slug\":\"x\",", "{'slug':'secret-text'}", "[1,2", "",
        "{\"slug\":\"a\",\"slug\":\"b\",\"displayName\":\"dup\"}", "{\"slug\":\"ok-1\",\"displayName\":\"x\"} {}"}) {
      HttpResponse<String> response = create("application/json", BodyPublishers.ofString(body));
      assertProblem(response, 400, "validation-failed");
      assertThat(response.body()).doesNotContain("secret-text");
    }
    assertThat(tenantCount()).isEqualTo(before);
  }

  @Test
  void wrongContentType_415() throws Exception {
    String body = "{\"slug\":\"form-tenant\",\"displayName\":\"x\"}";
    assertProblem(create("text/plain", BodyPublishers.ofString(body)), 415, "unsupported-media-type");
    assertProblem(create("application/x-www-form-urlencoded", BodyPublishers.ofString("slug=x")), 415,
        "unsupported-media-type");
    assertProblem(create(null, BodyPublishers.ofString(body)), 415, "unsupported-media-type");
    assertThat(create("application/json; charset=utf-8", BodyPublishers.ofString(body)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void twoMebibyteBody_413_withoutReadingItAll() throws Exception {
    byte[] big = new byte[2 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    assertProblem(create("application/json", BodyPublishers.ofByteArray(big)), 413, "payload-too-large");

    // Without a Content-Length (chunked) the limit is counted while reading: no declared size to trust.
    AtomicLong served = new AtomicLong();
    HttpRequest.BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new CountingStream(big, served));
    HttpResponse<String> response = create("application/json", chunked);
    assertProblem(response, 413, "payload-too-large");
    assertThat(served.get()).isGreaterThan(1024 * 1024);
  }

  @Test
  void unknownFieldsAndValues_400NamingTheField() throws Exception {
    HttpResponse<String> field = create("application/json", BodyPublishers.ofString(
        "{\"slug\":\"unknown-field\",\"displayName\":\"x\",\"isAdmin\":true}"));
    assertProblem(field, 400, "validation-failed");
    assertThat(json(field).get("errors").get(0).get("field").asText()).isEqualTo("isAdmin");

    HttpResponse<String> value = create("application/json", BodyPublishers.ofString(
        "{\"slug\":\"unknown-value\",\"displayName\":\"x\",\"status\":\"GODMODE\"}"));
    assertProblem(value, 400, "validation-failed");
    assertThat(json(value).get("errors").get(0).get("field").asText()).isEqualTo("status");
    assertThat(json(value).get("errors").get(0).get("message").asText()).contains("TRIAL", "ACTIVE");

    HttpResponse<String> flag = create("application/json", BodyPublishers.ofString(
        "{\"slug\":\"bad-flag\",\"displayName\":\"x\",\"featureFlags\":{\"beta\":\"yes\"}}"));
    assertThat(json(flag).get("errors").get(0).get("field").asText()).isEqualTo("featureFlags.beta");

    HttpResponse<String> notObject = create("application/json", BodyPublishers.ofString("[\"slug\"]"));
    assertProblem(notObject, 400, "validation-failed");
    assertThat(json(notObject).get("errors").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void controlCharactersAndSqlInValues_refusedOrStoredVerbatim_neverExecuted() throws Exception {
    HttpResponse<String> control = create("application/json", BodyPublishers.ofString(
        "{\"slug\":\"ctl\",\"displayName\":\"evil\\u0000name\"}"));
    assertProblem(control, 400, "validation-failed");
    assertThat(json(control).get("errors").get(0).get("field").asText()).isEqualTo("displayName");
    HttpResponse<String> sql = create("application/json", BodyPublishers.ofString(
        "{\"slug\":\"sql-name\",\"displayName\":\"x'); DROP TABLE tenants;--\"}"));
    assertThat(sql.statusCode()).isEqualTo(201);
    assertThat(json(sql).get("displayName").asText()).isEqualTo("x'); DROP TABLE tenants;--");
  }

  /** Serves a byte array and counts how much of it the server pulled. */
  private static final class CountingStream extends InputStream {
    private final ByteArrayInputStream in;
    private final AtomicLong served;

    CountingStream(byte[] data, AtomicLong served) {
      this.in = new ByteArrayInputStream(data);
      this.served = served;
    }

    @Override
    public int read() {
      int b = in.read();
      if (b >= 0) {
        served.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        served.addAndGet(n);
      }
      return n;
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
