package dev.retort.service.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaNameTest {

  private static final class Name extends ReplicaName {
    Name(Optional<String> configured) {
      super("loss", configured);
    }
  }

  @Test
  void configuredIdNamesTheReplicaAndPrefixesTheServiceName() {
    Name name = new Name(Optional.of("pod-7"));
    assertEquals("pod-7", name.id());
    assertEquals("loss-pod-7", name.service());
  }

  @Test
  void blankOrMissingIdFallsBackToTheHostName() {
    String host = new Name(Optional.empty()).id();
    assertFalse(host.isBlank());
    assertEquals(host, new Name(Optional.of("  ")).id());
    assertEquals("loss-" + host, new Name(Optional.of("")).service());
  }
}
