package dev.retort.core.efficientbert.search;

import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a search stands when {@link SearchController#run()} returns: the hall of fame and whether
 * the candidate budget is used up.
 *
 * @param stage the search stage, 1 to 3
 * @param hallOfFame the best candidates, best first
 * @param evaluated how many candidates have been evaluated, in this and earlier runs
 * @param finished whether the candidate budget is used up (false: stopped by the time limit, a
 *     cancellation, or no new candidate could be found)
 */
public record SearchResult(
    int stage, List<EvaluatedCandidate> hallOfFame, int evaluated, boolean finished) {

  /** Copies the hall of fame. */
  public SearchResult {
    hallOfFame = List.copyOf(hallOfFame);
  }

  /**
   * Returns the best candidate.
   *
   * @return the first entry of the hall of fame
   * @throws IllegalStateException if nothing has been evaluated
   */
  public EvaluatedCandidate best() {
    if (hallOfFame.isEmpty()) {
      throw new IllegalStateException("no candidate has been evaluated yet");
    }
    return hallOfFame.get(0);
  }

  /**
   * Returns the per-layer expressions of the top {@code k} candidates, best first: the seeds of the
   * next stage (stage 2 mutates the best two of stage 1; stage 3 keeps the operators of the stage-2
   * best).
   *
   * @param k how many
   * @return at most k candidates' layers
   */
  public List<List<Expr>> seeds(int k) {
    List<List<Expr>> out = new ArrayList<>();
    hallOfFame.stream().limit(k).forEach(c -> out.add(c.spec().layers()));
    return List.copyOf(out);
  }

  /**
   * Returns a readable summary: the best architecture, one expression per layer, and the hall of
   * fame.
   *
   * @return multi-line text
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "EfficientBERT search stage %d: %d candidates evaluated%s%n",
            stage,
            evaluated,
            finished ? "" : " (stopped before the budget)"));
    if (hallOfFame.isEmpty()) {
      return sb.toString();
    }
    EvaluatedCandidate b = best();
    sb.append(
        String.format(
            Locale.ROOT,
            "best: candidate %d, fitness %.4f, %,d parameters%n",
            b.spec().index(),
            b.value(),
            b.fitness().parameters()));
    List<String> layers = b.spec().expressions();
    for (int i = 0; i < layers.size(); i++) {
      sb.append(String.format(Locale.ROOT, "  layer %d: %s%n", i + 1, layers.get(i)));
    }
    sb.append("hall of fame:").append(System.lineSeparator());
    for (int i = 0; i < hallOfFame.size(); i++) {
      EvaluatedCandidate c = hallOfFame.get(i);
      sb.append(
          String.format(
              Locale.ROOT,
              "  %2d. %.4f  candidate %d%s: %s%n",
              i + 1,
              c.value(),
              c.spec().index(),
              c.fitness().failed() ? " (failed: " + c.fitness().error() + ")" : "",
              String.join(" | ", c.spec().expressions())));
    }
    return sb.toString();
  }

  /**
   * Returns a job-file {@code student} section that trains the best architecture in full.
   *
   * @param dims the searched model's dimensions (the supernet's)
   * @return YAML text
   */
  public String jobSnippet(EfficientBertArch dims) {
    return jobSnippet(dims, null);
  }

  /**
   * Returns a job-file {@code student} section that trains the best architecture in full,
   * inheriting its initial weights from a supernet.
   *
   * @param dims the searched model's dimensions (the supernet's)
   * @param supernet the supernet file for {@code student.supernet}, or null for none
   * @return YAML text
   */
  public String jobSnippet(EfficientBertArch dims, String supernet) {
    EvaluatedCandidate b = best();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "# EfficientBERT FFNs found by search stage %d: candidate %d, fitness %.4f, %d"
                + " parameters%n",
            stage,
            b.spec().index(),
            b.value(),
            b.fitness().parameters()));
    sb.append("student:\n");
    sb.append("  hidden-size: ").append(dims.hiddenSize()).append('\n');
    if (dims.ffnHiddenSize() != dims.hiddenSize()) {
      sb.append("  intermediate-size: ").append(dims.ffnHiddenSize()).append('\n');
    }
    sb.append("  layers: ").append(b.spec().expressions().size()).append('\n');
    sb.append("  heads: ").append(dims.numHeads()).append('\n');
    sb.append("  embedding-size: ").append(dims.embeddingSize()).append('\n');
    if (supernet != null) {
      sb.append("  supernet: '").append(supernet.replace("'", "''")).append("'\n");
    }
    sb.append("  ffn-expressions:\n");
    for (String e : b.spec().expressions()) {
      sb.append("    - \"").append(e).append("\"\n");
    }
    return sb.toString();
  }
}
