package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HRKD keeps the best checkpoint of every domain: after each evaluation, a domain whose dev score
 * improved gets the current weights written to {@code <dir>/<domain>/}, and its score to {@code
 * <dir>/<domain>.best}, so that a resumed run continues with the same bests. The loop's own
 * selection value is the mean over domains. The dev scores of the bests selected in this process
 * are kept in memory, so that the job's end does not score those models on dev again.
 */
final class PerDomainBest {
  private final Path dir;
  private final List<String> domains;
  private final Map<String, Double> best = new LinkedHashMap<>();
  private final Map<String, MetricSet> bestScores = new LinkedHashMap<>();

  PerDomainBest(Path dir, List<String> domains) {
    this.dir = dir;
    this.domains = List.copyOf(domains);
    for (String d : domains) {
      Path f = dir.resolve(d + ".best");
      try {
        best.put(d, Files.exists(f) ? Double.parseDouble(Files.readString(f).trim()) : Double.NEGATIVE_INFINITY);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Returns the dev scores of a domain's best model, if it was selected in this process (not
   * before a restart).
   */
  Optional<MetricSet> bestScores(String domain) {
    return Optional.ofNullable(bestScores.get(domain));
  }

  /** Returns the directory of a domain's best model. */
  Path model(String domain) {
    return dir.resolve(domain);
  }

  /**
   * Evaluates each domain on its dev split with its head, keeps improved domains' weights.
   *
   * @return per-domain metrics ({@code acc/books} ...), their mean under the plain names, and the
   *     mean selection value as the loop's primary
   */
  Map<String, Double> evaluate(LoadedModel model, List<EncodedDataset> devs, Evaluator evaluator, NDManager manager) {
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    double primary = 0;
    for (int d = 0; d < domains.size(); d++) {
      MetricSet m = evaluator.evaluate(model.model(), devs.get(d), manager);
      String name = domains.get(d);
      m.byKey().forEach((k, v) -> {
        out.put(k + "/" + name, v);
        sums.merge(k, v / domains.size(), Double::sum);
      });
      primary += m.selection() / domains.size();
      if (m.selection() > best.get(name)) {
        best.put(name, m.selection());
        bestScores.put(name, m);
        try {
          ModelDirectory.write(model(name), model);
          Files.writeString(dir.resolve(name + ".best"), Double.toString(m.selection()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    out.putAll(sums);
    out.put(TrainingLoop.Evaluation.PRIMARY, primary);
    return out;
  }
}
