package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a BERT model from the Hugging Face Hub ({@code hf:NAME[@REVISION]}) into a local cache
 * and returns the cached model directory, which {@link HfModelDirectory} then reads.
 *
 * <p>Files come from {@code ENDPOINT/NAME/resolve/REVISION/FILE}: {@code config.json} and {@code
 * model.safetensors} are required; {@code vocab.txt}, {@code tokenizer.json}, {@code
 * tokenizer_config.json} and {@code special_tokens_map.json} are taken when present. Downloading is
 * off unless enabled, because the build machines have no route to the Hub; a model already in the
 * cache is used without network access either way.
 */
public final class HfHub {
  private static final Logger LOG = LoggerFactory.getLogger(HfHub.class);
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)?");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final List<String> REQUIRED = List.of("config.json", HfModelDirectory.SAFETENSORS);
  private static final List<String> OPTIONAL =
      List.of("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

  /** Marker written once every file of a model is in the cache. */
  static final String COMPLETE = ".retort-complete";

  /** The public Hub. */
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  private final URI endpoint;
  private final Path cacheDir;
  private final boolean enabled;
  private final HttpClient http;
  private final Duration requestTimeout;

  private HfHub(URI endpoint, Path cacheDir, boolean enabled, Duration connect, Duration request) {
    this.endpoint = endpoint;
    this.cacheDir = cacheDir;
    this.enabled = enabled;
    this.requestTimeout = request;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connect)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the local directory of a model, downloading what is not cached yet.
   *
   * @param name the repository, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
   * @param revision a branch, tag or commit; {@code null} for {@code main}
   * @return the cached model directory, complete once {@value #COMPLETE} is in it
   * @throws RetortException if the model is not cached and cannot be downloaded
   */
  public Path download(String name, String revision) {
    String rev = revision == null ? "main" : revision;
    String ref = "hf:" + name + (revision == null ? "" : "@" + revision);
    if (!NAME.matcher(name).matches() || !REVISION.matcher(rev).matches() || name.contains("..")) {
      throw new RetortException(
          "model reference '" + ref + "'",
          "is not a valid Hub repository name and revision",
          "Write hf:OWNER/NAME or hf:OWNER/NAME@REVISION");
    }
    Path dir = cacheDir.resolve("hf").resolve(name.replace("/", "--")).resolve(rev);
    if (Files.isRegularFile(dir.resolve(COMPLETE))) {
      return dir;
    }
    if (!enabled) {
      throw offline(ref, "downloads from the Hub are disabled", null);
    }
    try {
      Files.createDirectories(dir);
      for (String f : REQUIRED) {
        if (!fetch(name, rev, f, dir, ref)) {
          throw notFound(ref, f);
        }
      }
      boolean tokenizer = false;
      for (String f : OPTIONAL) {
        boolean got = Files.isRegularFile(dir.resolve(f)) || fetch(name, rev, f, dir, ref);
        tokenizer |= got && (f.equals("vocab.txt") || f.equals("tokenizer.json"));
      }
      if (!tokenizer) {
        throw new RetortException(
            ref,
            "the repository has neither vocab.txt nor tokenizer.json",
            "Use a BERT model repository");
      }
      Files.writeString(dir.resolve(COMPLETE), endpoint + "/" + name + "@" + rev + "\n");
      return dir;
    } catch (IOException e) {
      throw offline(ref, "the download failed: " + e, e);
    }
  }

  /** Downloads one file; returns false on 404. */
  private boolean fetch(String name, String rev, String file, Path dir, String ref)
      throws IOException {
    Path target = dir.resolve(file);
    if (Files.isRegularFile(target)) {
      return true;
    }
    URI uri = URI.create(endpoint + "/" + name + "/resolve/" + rev + "/" + file);
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw offline(
          ref, "cannot connect to " + endpoint + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (HttpTimeoutException e) {
      throw offline(
          ref, "no answer from " + endpoint + " within " + requestTimeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw offline(ref, "interrupted", e);
    }
    try (InputStream body = resp.body()) {
      int code = resp.statusCode();
      if (code == 404) {
        return false;
      }
      if (code == 401 || code == 403) {
        throw new RetortException(
            ref,
            "the Hub refused access (HTTP " + code + "); the model is gated or private",
            "Download it with your account elsewhere and use hf-dir:PATH");
      }
      if (code != 200) {
        throw offline(ref, "HTTP " + code + " for " + uri, null);
      }
      Path tmp = Files.createTempFile(dir, file, ".part");
      try {
        Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    LOG.info("Downloaded {} ({} bytes)", uri, Files.size(target));
    return true;
  }

  private RetortException offline(String ref, String why, Throwable cause) {
    return new RetortException(
        ref,
        "hf: references need network access to " + endpoint + "; " + why,
        "Download the model elsewhere and use hf-dir:PATH (or enable Hub downloads where the Hub "
            + "is reachable)",
        cause);
  }

  private static RetortException notFound(String ref, String file) {
    String fix =
        file.equals(HfModelDirectory.SAFETENSORS)
            ? "The repository has no model.safetensors (perhaps only pytorch_model.bin or shards); "
                + "download and convert it elsewhere, then use hf-dir:PATH"
            : "Check the model name and revision";
    return new RetortException(ref, file + " was not found on the Hub", fix);
  }

  /** Builds an {@link HfHub}; the cache directory is required. */
  public static final class Builder {
    private URI endpoint = URI.create(DEFAULT_ENDPOINT);
    private Path cacheDir;
    private boolean enabled;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofMinutes(10);

    private Builder() {}

    /** Sets the cache directory (required). */
    public Builder setCacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** Sets the Hub address (default {@value HfHub#DEFAULT_ENDPOINT}, no trailing slash needed). */
    public Builder optEndpoint(String url) {
      this.endpoint = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      return this;
    }

    /** Enables downloads (default off). */
    public Builder optEnabled(boolean on) {
      this.enabled = on;
      return this;
    }

    /** Sets the connect timeout (default 5 s). */
    public Builder optConnectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** Sets the timeout for each file's response headers (default 10 minutes). */
    public Builder optRequestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Builds the client. */
    public HfHub build() {
      if (cacheDir == null) {
        throw new IllegalArgumentException("You must set the cache directory");
      }
      return new HfHub(endpoint, cacheDir, enabled, connectTimeout, requestTimeout);
    }
  }
}
