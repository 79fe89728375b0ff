package dev.tenancy.examples.spring;

import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/leads}: the calling agency's leads. Another agency's lead is simply not there: a 404 exactly like an
 * id that never existed, because the tenant-bound DataSource only ever shows the caller's rows.
 */
@RestController
@RequestMapping("/api/v1/leads")
public class LeadController {

  private final LeadStore leads;
  private final ObjectProvider<AuditLog> audit;
  private final ApplicationEventPublisher events;

  /**
   * @param leads the store
   * @param audit the starter's audit log, unless {@code tenancy.audit.enabled=false}
   * @param events where {@link LeadCreated} goes
   */
  public LeadController(LeadStore leads, ObjectProvider<AuditLog> audit, ApplicationEventPublisher events) {
    this.leads = leads;
    this.audit = audit;
    this.events = events;
  }

  /**
   * @param caller the verified caller
   * @return the agency's leads and their number
   */
  @GetMapping
  public Map<String, Object> list(Caller caller) {
    caller.requireAnyRole(Caller.READ_ROLES);
    List<Lead> items = leads.list();
    return Map.of("items", items, "total", items.size());
  }

  /**
   * @param caller the verified caller
   * @param id the lead
   * @return the lead
   */
  @GetMapping("/{id}")
  public Lead get(Caller caller, @PathVariable UUID id) {
    caller.requireAnyRole(Caller.READ_ROLES);
    return leads.find(id).orElseThrow(ProblemException::noSuchLead);
  }

  /**
   * @param caller the verified caller
   * @param id the lead
   * @return what happened to it, written by background work
   */
  @GetMapping("/{id}/activity")
  public Map<String, Object> activity(Caller caller, @PathVariable UUID id) {
    caller.requireAnyRole(Caller.READ_ROLES);
    leads.find(id).orElseThrow(ProblemException::noSuchLead);
    return Map.of("items", leads.activity(id));
  }

  /**
   * Creates a lead, records it in the agency's audit trail and announces it.
   *
   * @param caller the verified caller
   * @param body the new lead
   * @return 201 with the lead and its Location
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Lead> create(Caller caller, @RequestBody NewLead body) {
    caller.requireAnyRole(Caller.WRITE_ROLES);
    body.validate();
    Lead lead = leads.create(body.name(), body.email(), body.phone(), body.notes());
    record(caller, "lead.created", lead.id());
    events.publishEvent(new LeadCreated(lead.id(), caller.principal().subject()));
    return ResponseEntity.created(URI.create("/api/v1/leads/" + lead.id())).body(lead);
  }

  /**
   * @param caller the verified caller
   * @param id the lead
   * @return 204, or a 404 problem when the agency has no such lead
   */
  @DeleteMapping("/{id}")
  public ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
    caller.requireAnyRole(Caller.WRITE_ROLES);
    if (!leads.delete(id)) {
      throw ProblemException.noSuchLead();
    }
    record(caller, "lead.deleted", id);
    return ResponseEntity.noContent().build();
  }

  /** Writes to leads are part of the agency's audit trail: who changed which lead, never its contents. */
  private void record(Caller caller, String action, UUID lead) {
    audit.ifAvailable(log -> log.record(AuditEvent.builder(AuditCategory.DATA_ACCESS, action)
        .tenant(caller.tenant().id())
        .actor(caller.principal().isPlatform() ? AuditActorType.PLATFORM_OPERATOR : AuditActorType.USER,
            caller.principal().subject())
        .resource("lead/" + lead)
        .traceId(caller.traceId())
        .sourceAddress(caller.sourceAddress())
        .build()));
  }
}
