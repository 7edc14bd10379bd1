package dev.retort.stack;

/**
 * The two ports of a one-node KRaft broker, both on {@link FreePorts#HOST}.
 *
 * @param client the PLAINTEXT listener clients connect to
 * @param controller the CONTROLLER listener of the KRaft quorum (this node votes alone)
 */
public record BrokerPorts(int client, int controller) {

  /** Checks that both ports are real and distinct. */
  public BrokerPorts {
    if (client < 1 || client > 65535 || controller < 1 || controller > 65535) {
      throw new IllegalArgumentException(
          "ports must be in [1, 65535]: " + client + ", " + controller);
    }
    if (client == controller) {
      throw new IllegalArgumentException("client and controller ports must differ: " + client);
    }
  }

  /**
   * Returns the ports of the settings, picking free ones where they are 0.
   *
   * @param settings the broker settings
   * @return the ports to bind
   */
  public static BrokerPorts choose(KafkaSettings settings) {
    var free = FreePorts.pick(2);
    int client = settings.port() != 0 ? settings.port() : free.get(0);
    int controller = settings.controllerPort() != 0 ? settings.controllerPort() : free.get(1);
    if (client == controller) {
      controller = free.get(0); // only reachable when one port was given and equals a free one
    }
    return new BrokerPorts(client, controller);
  }

  /** Returns {@code 127.0.0.1:<client>}, the bootstrap address. */
  public String bootstrapServers() {
    return FreePorts.HOST + ":" + client;
  }
}
