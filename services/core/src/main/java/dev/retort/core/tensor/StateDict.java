package dev.retort.core.tensor;

import dev.retort.core.RetortException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in load order, keyed by Hugging Face parameter names such as {@code
 * encoder.layer.0.attention.self.query.weight}.
 *
 * <p>Every weight reader produces one and every writer consumes one; {@code
 * dev.retort.core.model.StateDicts} moves them in and out of a model after checking the key set and
 * every shape.
 */
public final class StateDict {
  private final LinkedHashMap<String, HostTensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final String source;

  /**
   * Creates an empty state dict.
   *
   * @param source where the tensors come from (a file or model reference), used in error messages
   */
  public StateDict(String source) {
    this.source = source;
  }

  /** Returns where the tensors come from, for error messages. */
  public String source() {
    return source;
  }

  /** Adds or replaces a tensor. */
  public StateDict put(String name, HostTensor t) {
    tensors.put(name, t);
    return this;
  }

  /** Returns the tensor or {@code null}. */
  public HostTensor get(String name) {
    return tensors.get(name);
  }

  /** Returns whether a tensor of this name exists. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** Removes and returns a tensor, or {@code null}. */
  public HostTensor remove(String name) {
    return tensors.remove(name);
  }

  /**
   * Returns a tensor that must exist.
   *
   * @throws RetortException naming the source and the missing key
   */
  public HostTensor require(String name) {
    HostTensor t = tensors.get(name);
    if (t == null) {
      throw new RetortException(
          source,
          "missing tensor '" + name + "'",
          "Check that the weights are a BERT checkpoint of the expected size and naming");
    }
    return t;
  }

  /** Returns the names in insertion order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  /** Returns the entries in insertion order. */
  public Map<String, HostTensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  /** Returns free-form string metadata (safetensors {@code __metadata__}). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Returns the number of tensors. */
  public int size() {
    return tensors.size();
  }

  /** Returns the total number of elements over all tensors. */
  public long totalElements() {
    long n = 0;
    for (HostTensor t : tensors.values()) {
      n += t.numel();
    }
    return n;
  }

  /**
   * Returns a new state dict with the names that start with {@code prefix}, prefix removed.
   *
   * @param prefix e.g. {@code "bert."}
   * @return the sub-dictionary
   */
  public StateDict withPrefixRemoved(String prefix) {
    StateDict out = new StateDict(source);
    tensors.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** Returns a new state dict with {@code prefix} prepended to every name. */
  public StateDict withPrefix(String prefix) {
    StateDict out = new StateDict(source);
    tensors.forEach((k, v) -> out.put(prefix + k, v));
    out.metadata.putAll(metadata);
    return out;
  }
}
