package dev.retort.service.kafka;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;

/**
 * The service's one admin client, created on first use and shared by its users (the readiness
 * probe; in the teacher also the retention check).
 */
@ApplicationScoped
public class AdminAccess {
  private final KafkaClients clients;
  private Admin admin;

  /**
   * Creates the holder.
   *
   * @param clients the client factory
   */
  @Inject
  public AdminAccess(KafkaClients clients) {
    this.clients = clients;
  }

  /** Returns the admin client. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = clients.admin();
    }
    return admin;
  }

  /** Closes the client. */
  @PreDestroy
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }
}
