package dev.retort.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An indexed list of modules, named {@code 0}, {@code 1}, ... like PyTorch's {@code
 * nn.ModuleList}.
 *
 * @param <M> the element type
 */
public final class ModuleList<M extends HfModule> extends HfModule {
  private final List<M> items = new ArrayList<>();

  /**
   * Creates the list.
   *
   * @param items the elements, registered as {@code 0..n-1}
   */
  public ModuleList(List<M> items) {
    for (M m : items) {
      this.items.add(module(Integer.toString(this.items.size()), m));
    }
  }

  /** Returns element {@code i}. */
  public M get(int i) {
    return items.get(i);
  }

  /** Returns the number of elements. */
  public int size() {
    return items.size();
  }

  /** Returns the elements in order. */
  public List<M> items() {
    return Collections.unmodifiableList(items);
  }
}
