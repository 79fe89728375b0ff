package dev.tenancy.examples.spring;

import dev.tenancy.core.TenantInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me}: who the caller is, in which agency, with the agency's tier and feature flags. */
@RestController
public class MeController {

  /** Created by Spring. */
  public MeController() {
  }

  /**
   * @param caller the verified caller
   * @return the caller, the tenant and its effective configuration
   */
  @GetMapping("/api/v1/me")
  public Map<String, Object> me(Caller caller) {
    TenantInfo info = caller.tenant();
    Map<String, Object> tenant = new LinkedHashMap<>();
    tenant.put("id", info.id().toString());
    tenant.put("slug", info.slug().value());
    tenant.put("tier", info.configuration().tier());
    tenant.put("status", info.status().name());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant", tenant);
    body.put("subject", caller.principal().subject());
    body.put("roles", new TreeSet<>(caller.principal().roles()));
    body.put("features", info.configuration().features());
    return body;
  }
}
