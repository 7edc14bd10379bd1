package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.retort.core.RetortException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructsTest {
  @Test
  void treeRoundTripsWithIntegersAsLongsAndOrderKept() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("z", 1);
    tree.put("a", 2.5);
    tree.put("flag", true);
    tree.put("none", null);
    tree.put("list", Arrays.asList("x", 3L, null, List.of(1)));
    tree.put("nested", Map.of("lr", new BigDecimal("0.00005")));

    Map<String, Object> back = Structs.toMap(Structs.fromMap(tree));

    assertThat(back.keySet()).containsExactly("z", "a", "flag", "none", "list", "nested");
    assertThat(back.get("z")).isEqualTo(1L);
    assertThat(back.get("a")).isEqualTo(2.5);
    assertThat(back.get("flag")).isEqualTo(true);
    assertThat(back).containsEntry("none", null);
    assertThat(back.get("list")).isEqualTo(Arrays.asList("x", 3L, null, List.of(1L)));
    assertThat(back.get("nested")).isEqualTo(Map.of("lr", 5e-5));
  }

  @Test
  void integersBeyondTwoToTheFiftyThreeAreRefusedWithTheKeyPath() {
    Map<String, Object> tree = Map.of("task", Map.of("seed", (1L << 53) + 1));

    assertThatThrownBy(() -> Structs.fromMap(tree))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("job key task.seed")
        .hasMessageContaining("larger than 2^53");
    assertThat(Structs.fromMap(Map.of("seed", 1L << 53)).getFieldsOrThrow("seed")
        .getNumberValue()).isEqualTo(0x1p53);
  }

  @Test
  void valuesWithoutJsonFormAreRefused() {
    assertThatThrownBy(() -> Structs.fromMap(Map.of("when", new Object())))
        .isInstanceOf(RetortException.class).hasMessageContaining("job key when");
  }

  @Test
  void emptyStructIsAnEmptyMap() {
    assertThat(Structs.toMap(Struct.getDefaultInstance())).isEmpty();
  }
}
