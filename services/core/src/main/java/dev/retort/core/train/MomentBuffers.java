package dev.retort.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.StateDict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First and second moment arrays of Adam-style optimisers, one pair per parameter, allocated
 * lazily in one long-lived manager and updated in place.
 */
final class MomentBuffers implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();

  MomentBuffers(NDManager parent) {
    this.manager = parent.newSubManager();
  }

  NDArray first(TrainableParameter p) {
    return m.computeIfAbsent(p.name(), k -> manager.zeros(p.array().getShape(), p.array().getDataType()));
  }

  NDArray second(TrainableParameter p) {
    return v.computeIfAbsent(p.name(), k -> manager.zeros(p.array().getShape(), p.array().getDataType()));
  }

  StateDict state(String source, long steps) {
    StateDict sd = new StateDict(source);
    m.forEach((k, a) -> sd.put("exp_avg." + k, StateDicts.toHost(a)));
    v.forEach((k, a) -> sd.put("exp_avg_sq." + k, StateDicts.toHost(a)));
    sd.metadata().put("step", Long.toString(steps));
    return sd;
  }

  long load(StateDict state, List<TrainableParameter> params) {
    close();
    for (TrainableParameter p : params) {
      var first = state.get("exp_avg." + p.name());
      var second = state.get("exp_avg_sq." + p.name());
      if (first != null && second != null) {
        m.put(p.name(), StateDicts.toNd(manager, first));
        v.put(p.name(), StateDicts.toNd(manager, second));
      }
    }
    String step = state.metadata().get("step");
    return step == null ? 0 : Long.parseLong(step);
  }

  @Override
  public void close() {
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
  }
}
