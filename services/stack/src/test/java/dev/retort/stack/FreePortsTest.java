package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void portsOfOneCallAreDistinctAndBindable() throws Exception {
    List<Integer> ports = FreePorts.pick(5);

    assertThat(ports).doesNotHaveDuplicates().allMatch(p -> p > 0 && p <= 65535);
    for (int port : ports) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
