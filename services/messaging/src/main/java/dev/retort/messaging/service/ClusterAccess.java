package dev.retort.messaging.service;

import java.util.Map;

/** Where the Kafka cluster is and how to log in to it: what topic creation needs. */
public interface ClusterAccess {

  /** Returns the bootstrap servers, for logs and topic creation. */
  String bootstrap();

  /** Returns the security settings, for topic creation. */
  Map<String, String> security();
}
