package dev.tenancy.spring.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant's note, for the JPA round trip in TenancyHibernateAutoConfigurationTest. */
@Entity
@Table(name = "notes")
public class Note {
  @Id
  private Long id;
  private String text;

  /** For JPA. */
  protected Note() {
  }

  /**
   * @param id the id
   * @param text the text
   */
  public Note(Long id, String text) {
    this.id = id;
    this.text = text;
  }

  /** @return the text */
  public String text() {
    return text;
  }
}
