package dev.retort.core.efficientbert.search;

import dev.retort.core.engine.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one population of candidates for the {@link SearchController}: concurrently when it has
 * several members (one thread each; remote evaluators mostly wait), and with the reference's
 * failure rule: an evaluation that throws or returns a non-finite value gets fitness 0.
 */
final class PopulationEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(PopulationEvaluation.class);

  private final CandidateEvaluator evaluator;
  private final SearchSpace space;

  PopulationEvaluation(CandidateEvaluator evaluator, SearchSpace space) {
    this.evaluator = evaluator;
    this.space = space;
  }

  /** Evaluates a population, in parallel when it has several members; null marks a cancelled one. */
  List<Fitness> evaluate(List<CandidateSpec> wave) {
    List<Fitness> out = new ArrayList<>();
    if (wave.size() == 1) {
      out.add(evaluateOrCancelled(wave.get(0)));
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(wave.size());
    try {
      List<Future<Fitness>> futures = new ArrayList<>();
      for (CandidateSpec spec : wave) {
        futures.add(pool.submit(() -> {
          Torch.noGradOnThisThread();
          return evaluateOrCancelled(spec);
        }));
      }
      for (var f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while candidates were evaluated", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("candidate evaluation crashed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Fitness evaluateOrCancelled(CandidateSpec spec) {
    try {
      return evaluateOne(spec);
    } catch (CandidateCancelledException e) {
      return null;
    }
  }

  private Fitness evaluateOne(CandidateSpec spec) {
    long t0 = System.nanoTime();
    try {
      Fitness f = evaluator.evaluate(spec);
      return Double.isFinite(f.value())
          ? f
          : Fitness.failed("non-finite fitness", f.parameters(), f.seconds());
    } catch (CandidateCancelledException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Candidate {} failed, fitness 0: {}", spec.index(), e.toString());
      return Fitness.failed(e.toString(), space.parameters(spec.layers()), (System.nanoTime() - t0) / 1e9);
    }
  }
}
