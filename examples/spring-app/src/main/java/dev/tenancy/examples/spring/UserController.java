package dev.tenancy.examples.spring;

import dev.tenancy.core.identity.AccessDeniedException;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.servlet.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/users}: an agency's admin adds a user and receives the user's API key, shown once. The key
 * belongs to the caller's agency whatever the body says: the tenant comes from the verified token.
 */
@RestController
public class UserController {

  private final ApiKeyService apiKeys;

  /**
   * @param apiKeys the starter's API key service
   */
  public UserController(ApiKeyService apiKeys) {
    this.apiKeys = apiKeys;
  }

  /**
   * @param caller the verified caller, a {@code tenant_admin}
   * @param body the new user
   * @return 201 with the key id and the key itself
   */
  @PostMapping(path = "/api/v1/users", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody NewUser body) {
    caller.requireAnyRole(Set.of("tenant_admin"));
    Set<String> roles = body.validRoles();
    String subject = Objects.requireNonNull(body.subject());
    IssuedApiKey issued;
    try {
      issued = apiKeys.create(caller.principal(), NewApiKey.of(caller.tenant().id(), subject, roles));
    } catch (AccessDeniedException e) {
      throw new ProblemException(ProblemType.FORBIDDEN, "You may not grant the roles " + roles);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION_FAILED, e.getMessage());
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("subject", subject);
    view.put("roles", roles);
    view.put("keyId", issued.key().id());
    view.put("apiKey", issued.secret());
    return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore()).body(view);
  }
}
