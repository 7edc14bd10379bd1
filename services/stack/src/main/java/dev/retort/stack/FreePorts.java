package dev.retort.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports on 127.0.0.1 that are free at the time of the call.
 *
 * <p>The operating system chooses each port (bind to port 0). All sockets of one call are held open
 * together, so the ports of one call are distinct. A port can still be taken by another process
 * between this call and the bind of the server that uses it; the window is short, and the server's
 * log then says "Address already in use".
 */
public final class FreePorts {
  /** The loopback address every local server of the stack binds to. */
  public static final String HOST = "127.0.0.1";

  private FreePorts() {}

  /**
   * Returns one free port.
   *
   * @return a port number in the ephemeral range
   */
  public static int pick() {
    return pick(1).get(0);
  }

  /**
   * Returns {@code count} distinct free ports.
   *
   * @param count how many ports, at least 1
   * @return the port numbers
   */
  public static List<Integer> pick(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      InetAddress loopback = InetAddress.getByName(HOST);
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, loopback);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a socket on " + HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that accepted nothing cannot lose data.
        }
      }
    }
  }
}
