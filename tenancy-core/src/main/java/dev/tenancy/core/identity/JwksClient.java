package dev.tenancy.core.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Fetches JWK Sets over HTTP: bounded in time and size, no redirects, https unless plain http was allowed. */
final class JwksClient {

  static final int MAX_BYTES = 512 * 1024;

  private final HttpClient http;
  private final Duration timeout;
  private final boolean allowHttp;

  JwksClient(HttpClient http, Duration timeout, boolean allowHttp) {
    this.http = http;
    this.timeout = timeout;
    this.allowHttp = allowHttp;
  }

  static HttpClient defaultHttpClient(Duration timeout) {
    // Redirects are never followed: the key source is exactly the configured URL.
    return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Map<String, VerificationKey> fetch(URI uri) throws IOException {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new IOException("refusing to fetch keys over " + scheme + "; use an https JWKS URL (plain http only "
          + "where TenantTokenService.Builder.allowPlainHttpJwks(true) was set, for local tests)");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching keys", e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("JWKS request answered HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("JWKS document larger than " + MAX_BYTES + " bytes");
      }
      return JwksParser.parse(bytes, uri.toString());
    }
  }
}
