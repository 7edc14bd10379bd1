package dev.retort.teacher.config;

import dev.retort.service.setup.ReplicaName;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The name of this replica: {@code retort.teacher.instance-id}, else the host name. */
@Singleton
public class Instance extends ReplicaName {
  /**
   * Resolves the name.
   *
   * @param config the service settings
   */
  @Inject
  public Instance(TeacherConfig config) {
    super("teacher", config.instanceId());
  }
}
