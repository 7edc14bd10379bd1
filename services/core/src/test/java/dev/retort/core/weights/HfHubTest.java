package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfHubTest {
  @TempDir Path cache;
  @TempDir Path model;

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private HfHub hub(String endpoint, boolean enabled) {
    return HfHub.builder()
        .setCacheDir(cache)
        .optEndpoint(endpoint)
        .optEnabled(enabled)
        .optConnectTimeout(Duration.ofSeconds(2))
        .optRequestTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void unreachableEndpointExplainsHowToWorkOffline() throws IOException {
    String endpoint = "http://127.0.0.1:" + closedPort();
    assertThatThrownBy(() -> hub(endpoint, true).download("google-bert/bert-base-uncased", null))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("hf:google-bert/bert-base-uncased")
        .hasMessageContaining("hf: references need network access to " + endpoint)
        .hasMessageContaining("hf-dir:PATH");
  }

  @Test
  void disabledHubRefusesWithoutConnecting() {
    assertThatThrownBy(() -> hub("http://127.0.0.1:1", false).download("a/b", "v1"))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("hf:a/b@v1")
        .hasMessageContaining("disabled")
        .hasMessageContaining("hf-dir:PATH");
  }

  @Test
  void invalidNameIsRejected() {
    assertThatThrownBy(() -> hub("http://127.0.0.1:1", true).download("../etc", null))
        .hasMessageContaining("not a valid Hub repository name");
  }

  @Test
  void modelIsDownloadedFromALocalServerThenServedFromTheCache() throws IOException {
    HfModelDirectoryWriter.write(
        model,
        TinyModels.CONFIG,
        tinyClassifier(),
        List.of("a", "b"),
        new TokenizerFiles(TinyModels.VOCAB, true, null));
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          requests.add(path);
          String prefix = "/org/tiny-bert/resolve/main/";
          Path f = path.startsWith(prefix) ? model.resolve(path.substring(prefix.length())) : null;
          if (f == null || !Files.isRegularFile(f)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
          }
          byte[] body = Files.readAllBytes(f);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    Path dir;
    try {
      dir = hub(endpoint + "/", true).download("org/tiny-bert", null);
    } finally {
      server.stop(0);
    }

    assertThat(requests)
        .contains(
            "/org/tiny-bert/resolve/main/config.json",
            "/org/tiny-bert/resolve/main/model.safetensors",
            "/org/tiny-bert/resolve/main/vocab.txt",
            "/org/tiny-bert/resolve/main/tokenizer.json"); // 404, optional
    PretrainedWeights w = HfModelDirectory.load(dir);
    assertThat(w.config()).isEqualTo(TinyModels.CONFIG);
    assertThat(w.tokenizer().vocab()).isEqualTo(TinyModels.VOCAB);
    // The server is gone: the cached copy is used, even with downloads disabled.
    assertThat(hub(endpoint, false).download("org/tiny-bert", null)).isEqualTo(dir);
  }

  @Test
  void missingSafetensorsOnTheHubIsExplained() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          boolean config = ex.getRequestURI().getPath().endsWith("/config.json");
          byte[] body = "{}".getBytes();
          ex.sendResponseHeaders(config ? 200 : 404, config ? body.length : -1);
          if (config) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThatThrownBy(() -> hub(endpoint, true).download("old/bin-only", null))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("model.safetensors was not found")
          .hasMessageContaining("hf-dir:PATH");
    } finally {
      server.stop(0);
    }
  }

  static dev.retort.core.tensor.StateDict tinyClassifier() {
    var sd = TinyModels.weights(TinyModels.CONFIG, true, false);
    sd.put(
        "classifier.weight",
        dev.retort.core.tensor.HostTensor.ofFloats(new long[] {2, 4}, new float[8]));
    sd.put(
        "classifier.bias",
        dev.retort.core.tensor.HostTensor.ofFloats(new long[] {2}, new float[2]));
    return sd;
  }
}
