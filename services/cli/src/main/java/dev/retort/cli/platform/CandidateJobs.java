package dev.retort.cli.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.efficientbert.search.CandidateSpec;
import dev.retort.core.efficientbert.search.FitnessHoldout;
import dev.retort.core.efficientbert.search.KdProtocol;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a search candidate into the distill job the platform trains: the search job's teacher,
 * task and student dimensions, the candidate's FFN expressions, weights inherited from the
 * supernet, the candidate's pre-training KD ({@code student.pretrain}: search.pretrain-steps on
 * search.corpus against search.pretrain-teacher) and downstream KD budget, scoring on the tail of
 * the training split the in-process search holds out ({@code task.dev-from-train}: the fitness is
 * that split's metric, and the task's dev split stays unseen), no test scoring and no export. Every candidate keeps the search's seed, so the candidates of a population read
 * the same batches and share one teacher pass (the same passKey): the teacher computes once.
 *
 * <p>The job id is a pure function of the search name, the candidate's stage and index and the job
 * itself, so a restarted search finds the job of a candidate it had already sent.
 */
public final class CandidateJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_EPOCHS = 100;

  private CandidateJobs() {}

  /**
   * Builds a candidate's job.
   *
   * @param search the search job's explicit keys ({@code ConfigValues.explicitTree()})
   * @param spec the candidate
   * @param supernet how the trainer finds the supernet ({@code student.supernet})
   * @param protocol the candidate's training budget (pre-training and downstream KD steps, batch,
   *     learning rates, eval interval)
   * @return the job's keys as a tree
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> job(
      Map<String, Object> search, CandidateSpec spec, String supernet, KdProtocol protocol) {
    Map<String, Object> job = copy(search);
    Object keys = job.remove("search");
    job.remove("output");
    job.remove("name");
    Map<String, Object> student = section(job, "student");
    student.put("ffn-expressions", spec.expressions());
    student.put("layers", spec.expressions().size());
    student.put("supernet", supernet);
    if (protocol.pretrainSteps() > 0) {
      // The candidate's short pre-training KD, as in-process candidates get it (methods.md 3.4).
      Map<String, Object> from = keys instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      Map<String, Object> pretrain = section(student, "pretrain");
      pretrain.put("steps", protocol.pretrainSteps());
      pretrain.put("lr", protocol.pretrainLr());
      if (from.get("corpus") != null) {
        pretrain.put("corpus", from.get("corpus"));
      }
      if (from.get("pretrain-teacher") != null) {
        pretrain.put("teacher", from.get("pretrain-teacher"));
      }
    }
    section(job, "teacher").put("finetune", false);
    Map<String, Object> task = section(job, "task");
    task.put("evaluate-test", false);
    // Scored on the tail of train that an in-process search holds out, never on dev (methods.md 3.4).
    Map<String, Object> searchKeys = keys instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    task.put("dev-from-train", searchKeys.getOrDefault("holdout-fraction", FitnessHoldout.CANDIDATE_FRACTION));
    task.put("dev-from-train-min", searchKeys.getOrDefault("holdout-min-examples", FitnessHoldout.DEFAULT_MIN_EXAMPLES));
    Map<String, Object> training = section(section(job, "distill"), "training");
    training.put("max-steps", protocol.steps());
    // max-steps governs; the epoch count only has to be large enough (and within the trainer's
    // default limit of 100 epochs): it is when the training set has at least steps/100 batches.
    training.put("epochs", (int) Math.max(1, Math.min(MAX_EPOCHS, protocol.steps())));
    training.put("batch-size", protocol.batchSize());
    training.put("grad-accumulation", 1);
    training.put("lr", protocol.lr());
    training.put("eval-every", protocol.evalEvery());
    section(job, "output").put("export", false);
    return job;
  }

  /**
   * Returns the job id of a candidate: {@code <search>-s<stage>c<index>-<8 hex of SHA-256(job)>}.
   *
   * @param searchName the search's name
   * @param spec the candidate
   * @param job the candidate's job from {@link #job}
   * @return a valid job id
   */
  public static String jobId(String searchName, CandidateSpec spec, Map<String, Object> job) {
    String prefix = searchName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    if (prefix.isEmpty() || !Character.isLetterOrDigit(prefix.charAt(0))) {
      prefix = "search" + prefix;
    }
    prefix = prefix.substring(0, Math.min(30, prefix.length()));
    return prefix + "-s" + spec.stage() + "c" + spec.index() + "-" + hash(job);
  }

  private static String hash(Map<String, Object> job) {
    try {
      byte[] json = JSON.writeValueAsString(job).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m) : v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> tree, String name) {
    return (Map<String, Object>) tree.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
  }
}
