package dev.retort.messaging;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.retort.core.RetortException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between a JSON-like tree of Java values and {@link Struct}.
 *
 * <p>A tree is what a YAML or JSON parser returns: maps with string keys, lists, strings,
 * booleans, numbers and nulls. Numbers travel as doubles (JSON semantics), so an integer whose
 * magnitude exceeds 2^53 is refused rather than silently rounded. Going back, a number that is a
 * whole value within 2^53 becomes a {@link Long}, any other a {@link Double}.
 */
public final class Structs {
  /** Largest integer a double holds exactly: 2^53. */
  private static final long MAX_EXACT = 1L << 53;

  private Structs() {}

  /**
   * Converts a tree to a struct.
   *
   * @param tree the tree, e.g. a parsed job file
   * @return the struct, keys in the map's order
   * @throws RetortException naming the key path of a value that has no JSON form
   */
  public static Struct fromMap(Map<String, ?> tree) {
    return struct(tree, "");
  }

  /**
   * Converts a struct to a tree of maps, lists, strings, booleans, longs, doubles and nulls.
   *
   * @param struct the struct
   * @return a mutable tree, keys in the struct's order
   */
  public static Map<String, Object> toMap(Struct struct) {
    Map<String, Object> out = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((k, v) -> out.put(k, toJava(v)));
    return out;
  }

  private static Struct struct(Map<?, ?> map, String path) {
    Struct.Builder b = Struct.newBuilder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new RetortException(where(path), "the key " + e.getKey() + " is not a string",
            "Quote the key in the job file");
      }
      b.putFields(key, value(e.getValue(), path.isEmpty() ? key : path + "." + key));
    }
    return b.build();
  }

  private static Value value(Object o, String path) {
    Value.Builder v = Value.newBuilder();
    if (o == null) {
      return v.setNullValue(NullValue.NULL_VALUE).build();
    } else if (o instanceof Boolean b) {
      return v.setBoolValue(b).build();
    } else if (o instanceof CharSequence s) {
      return v.setStringValue(s.toString()).build();
    } else if (o instanceof Enum<?> e) {
      return v.setStringValue(e.name()).build();
    } else if (o instanceof Number n) {
      return v.setNumberValue(number(n, path)).build();
    } else if (o instanceof Map<?, ?> m) {
      return v.setStructValue(struct(m, path)).build();
    } else if (o instanceof Iterable<?> items) {
      ListValue.Builder list = ListValue.newBuilder();
      int i = 0;
      for (Object item : items) {
        list.addValues(value(item, path + "[" + i++ + "]"));
      }
      return v.setListValue(list).build();
    }
    throw new RetortException(where(path), "a " + o.getClass().getSimpleName()
        + " has no JSON form", "Use a string, number, boolean, list or map");
  }

  private static double number(Number n, String path) {
    boolean integral = n instanceof Long || n instanceof Integer || n instanceof Short
        || n instanceof Byte || n instanceof BigInteger;
    if (integral || n instanceof BigDecimal) {
      BigDecimal exact = n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
      if (integral && exact.abs().compareTo(BigDecimal.valueOf(MAX_EXACT)) > 0) {
        throw new RetortException(where(path), "the integer " + n
            + " is larger than 2^53 and would be rounded in JSON", "Write it as a string");
      }
      return exact.doubleValue();
    }
    return n.doubleValue();
  }

  private static Object toJava(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> {
        double d = v.getNumberValue();
        yield d == Math.rint(d) && Math.abs(d) <= MAX_EXACT ? (Object) (long) d : (Object) d;
      }
      case STRUCT_VALUE -> toMap(v.getStructValue());
      case LIST_VALUE -> {
        List<Object> list = new ArrayList<>();
        v.getListValue().getValuesList().forEach(item -> list.add(toJava(item)));
        yield list;
      }
    };
  }

  private static String where(String path) {
    return path.isEmpty() ? "job" : "job key " + path;
  }
}
