package dev.retort.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads the JSON fixtures that the reference scripts in the {@code official} folders of the test
 * resources wrote by running the methods' official code: the inputs, the parameters under their
 * official names and what the official code computed.
 */
public final class OfficialFixtures {
  private OfficialFixtures() {}

  /**
   * Reads a fixture from the test class path.
   *
   * @param resource its absolute resource path, e.g. {@code /emd/official/bert-emd-82c63ff.json}
   * @return the parsed JSON
   */
  public static JsonNode read(String resource) {
    try (InputStream in = OfficialFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test class path");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a JSON array of numbers as float32 values (the fixtures hold float32 tensors). */
  public static float[] floats(JsonNode values) {
    float[] v = new float[values.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) values.get(k).asDouble();
    }
    return v;
  }

  /** Returns a JSON array of integers, e.g. a shape. */
  public static long[] longs(JsonNode values) {
    long[] v = new long[values.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = values.get(k).asLong();
    }
    return v;
  }

  /**
   * Builds a state dict from a fixture's {@code parameters} object ({@code name → {shape, values}}).
   *
   * @param parameters the object
   * @param source a name for errors
   * @param rename maps an official parameter name to retort's
   * @return the tensors under retort's names
   */
  public static StateDict parameters(JsonNode parameters, String source, UnaryOperator<String> rename) {
    StateDict sd = new StateDict(source);
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sd.put(rename.apply(e.getKey()),
          HostTensor.ofFloats(longs(e.getValue().get("shape")), floats(e.getValue().get("values"))));
    }
    return sd;
  }
}
