package dev.retort.deploy.snapshot;

import dev.retort.cli.JobFiles;
import dev.retort.cli.platform.Home;
import dev.retort.cli.platform.LocalPlatform;
import dev.retort.cli.platform.PlatformClient;
import dev.retort.cli.platform.PlatformOptions;
import dev.retort.core.job.ConfigValues;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.JobEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a demo run and renders the dashboard snapshot: starts the local platform (Kafka and the
 * four services as processes), submits the bundled demo job ({@code retort examples demo}),
 * scrapes every service's {@code /q/metrics} every few seconds until the job ends, and draws the
 * training dashboard's main panels from those scrapes ({@link SnapshotChart}).
 *
 * <p>Usage (after {@code mvn -B -ntp install -DskipTests}): {@code java -cp <classpath>
 * dev.retort.deploy.snapshot.DemoRecorder [OUT.png] [INTERVAL_SECONDS]}; deploy/README.md gives
 * the full command. The scrapes are kept in {@code
 * services/deploy-tests/target/demo-recording/scrapes.json}; {@code DemoRecorder --render
 * scrapes.json OUT.png} draws the image again from them.
 */
public final class DemoRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(DemoRecorder.class);

  private DemoRecorder() {}

  /**
   * Runs the recording.
   *
   * @param args output PNG (default grafana/screenshots/training.png) and scrape interval in
   *     seconds (default 5)
   * @throws Exception if the platform cannot start or the job does not finish
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--render")) {
      Recording r = Recording.read(Path.of(args[1]));
      write(r, Path.of(args[2]));
      return;
    }
    Path root = Home.root();
    Path png = args.length > 0 ? Path.of(args[0]) : root.resolve("grafana/screenshots/training.png");
    Duration interval = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
    Path dir = root.resolve("services/deploy-tests/target/demo-recording");
    PlatformOptions options = PlatformOptions.defaults(root, List.of(root)).withDirs(dir.resolve("stack"), dir.resolve("artifacts"));
    ConfigValues job = bundledDemo();
    job = JobFiles.withOverrides(job, Map.of("task.dir", options.artifacts().resolve("data/sample").toString()));
    String jobId = "demo-snapshot-" + System.currentTimeMillis() / 1000;
    List<Scrape> scrapes = new ArrayList<>();
    try (LocalPlatform platform = LocalPlatform.start(options);
        PlatformClient client = PlatformClient.connect(platform.bootstrap(), options.stateDir());
        var events = client.fromNow(Topics.JOB_EVENTS)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      ProtoSerde<JobEvent> serde = ProtoSerde.of(JobEvent.getDefaultInstance());
      AtomicReference<JobEvent> end = new AtomicReference<>();
      client.submit(jobId, job.explicitTree());
      LOG.info("Submitted {}; scraping every {} s", jobId, interval.toSeconds());
      long t0 = System.nanoTime();
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(90).toMillis();
      while (end.get() == null && System.currentTimeMillis() < deadline) {
        events.read(r -> {
          if (jobId.equals(r.key())) {
            serde.decode(r.value()).toOptional().filter(e -> e.hasFinished() || e.hasFailed() || e.hasRejected() || e.hasCancelled())
                .ifPresent(end::set);
          }
        }, () -> end.get() != null, interval);
        scrapes.add(scrape(http, platform, (System.nanoTime() - t0) / 1e9));
      }
      if (end.get() == null || !end.get().hasFinished()) {
        throw new IllegalStateException("the demo job did not finish: " + end.get());
      }
      var s = end.get().getFinished().getSummary();
      String result = String.format("student retains %.1f%% of the teacher's %s with %.1fx fewer parameters",
          100 * s.getRetained(), s.getMetric(), (double) s.getTeacherParameters() / s.getStudentParameters());
      Recording r = new Recording(jobId, LocalDate.now().toString(), interval.toSeconds(), result, scrapes);
      r.write(dir.resolve("scrapes.json"));
      write(r, png);
    }
  }

  private static void write(Recording r, Path png) throws IOException {
    List<String> title = List.of(
        String.format("retort / Training: job %s, the bundled BERT-EMD demo (MiniLM-L6 teacher, 2-layer student), %s.",
            r.job(), r.date()),
        String.format("Result: %s.", r.result()),
        String.format("Rendered with XChart from %d real /q/metrics scrapes (every %d s) of the four services on 2 CPU cores."
            + " Not a Grafana screenshot.", r.scrapes().size(), r.intervalSeconds()));
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(SnapshotChart.render(r.scrapes(), r.job(), title), "png", png.toFile());
    LOG.info("Wrote {} from {} scrapes", png, r.scrapes().size());
  }

  private static Scrape scrape(HttpClient http, LocalPlatform platform, double seconds) {
    List<Sample> samples = new ArrayList<>();
    for (String service : LocalPlatform.SERVICES) {
      try {
        int port = platform.ports().get(service);
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Sample.parse(body).stream().filter(x -> x.name().startsWith("retort_")).forEach(samples::add);
      } catch (IOException e) {
        LOG.warn("scrape of {} failed: {}", service, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return new Scrape(seconds, samples);
  }

  private static ConfigValues bundledDemo() throws IOException {
    try (InputStream in = LocalPlatform.class.getResourceAsStream("/jobs/demo.yaml")) {
      return JobFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo.yaml (bundled)");
    }
  }
}
