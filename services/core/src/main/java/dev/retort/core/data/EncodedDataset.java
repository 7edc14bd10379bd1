package dev.retort.core.data;

import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.SequenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A data set after tokenization: one {@link EncodedExample} per example plus its label (or
 * regression target), domain id and example id, in the order of the source data set.
 *
 * <p>Arrays are shared, not copied; treat them as read-only.
 *
 * @param name the source data set's name
 * @param taskType classification or regression
 * @param inputs the encoded texts // N entries
 * @param labels class ids, -1 when unlabelled; null for regression // [N]
 * @param targets regression targets, NaN when unlabelled; null for classification // [N]
 * @param domainIds domain ids (all 0 without a domain map) // [N]
 * @param ids the example ids // N entries
 * @param padId the token id used for padding
 */
public record EncodedDataset(
    String name,
    TaskType taskType,
    List<EncodedExample> inputs,
    int[] labels,
    float[] targets,
    int[] domainIds,
    List<String> ids,
    int padId) {

  /** Checks that all per-example arrays have the same length. */
  public EncodedDataset {
    Objects.requireNonNull(name, "name");
    inputs = List.copyOf(inputs);
    ids = List.copyOf(ids);
    int n = inputs.size();
    if ((taskType == TaskType.CLASSIFICATION) != (labels != null)
        || (taskType == TaskType.REGRESSION) != (targets != null)) {
      throw new IllegalArgumentException("classification needs labels, regression targets");
    }
    if ((labels != null && labels.length != n)
        || (targets != null && targets.length != n)
        || domainIds.length != n
        || ids.size() != n) {
      throw new IllegalArgumentException("per-example arrays must all have " + n + " entries");
    }
  }

  /**
   * Encodes every example of a data set.
   *
   * @param data the data set
   * @param encoder the sequence encoder
   * @param domains the domain map, or null to give every example domain 0
   * @return the encoded data set
   * @throws dev.retort.core.RetortException if an example's domain is missing or unknown
   */
  public static EncodedDataset encode(Dataset data, SequenceEncoder encoder, LabelMap domains) {
    int n = data.size();
    List<EncodedExample> inputs = new ArrayList<>(n);
    List<String> ids = new ArrayList<>(n);
    int[] domainIds = new int[n];
    for (int i = 0; i < n; i++) {
      Example e = data.get(i);
      inputs.add(encoder.encode(e.textA(), e.textB()));
      ids.add(e.id());
      if (domains != null) {
        String where = data.name() + " example " + e.id();
        domainIds[i] = domains.id(e.domain() == null ? "<none>" : e.domain(), where);
      }
    }
    boolean classification = data.taskType() == TaskType.CLASSIFICATION;
    return new EncodedDataset(
        data.name(),
        data.taskType(),
        inputs,
        classification ? data.labelIds() : null,
        classification ? null : data.targets(),
        domainIds,
        ids,
        encoder.tokenizer().specialTokens().pad());
  }

  /** Returns the number of examples (N). */
  public int size() {
    return inputs.size();
  }

  /** Returns the real length of example i. */
  public int length(int i) {
    return inputs.get(i).realLength();
  }

  /** {@inheritDoc} */
  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedDataset d
        && name.equals(d.name)
        && taskType == d.taskType
        && inputs.equals(d.inputs)
        && Arrays.equals(labels, d.labels)
        && Arrays.equals(targets, d.targets)
        && Arrays.equals(domainIds, d.domainIds)
        && ids.equals(d.ids)
        && padId == d.padId;
  }

  /** {@inheritDoc} */
  @Override
  public int hashCode() {
    return Objects.hash(name, inputs, Arrays.hashCode(domainIds), ids);
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "EncodedDataset[" + name + ", " + taskType + ", " + size() + " examples]";
  }
}
