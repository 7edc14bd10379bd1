package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {
  @TempDir Path dir;

  private static final long SELF = ProcessHandle.current().pid();
  private static final long SELF_START =
      ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();

  @Test
  void stateSurvivesAWriteReadRoundTripInOrder() {
    StackState state = new StackState(List.of(
        new StackEntry("kafka", 11, 1_700_000_000_000L, Map.of("kafka", 9092, "controller", 9093),
            "/s/logs/kafka.log", Map.of("kafka.bootstrap.servers", "127.0.0.1:9092")),
        new StackEntry("teacher", 12, -1, Map.of("http", 8081), "/s/logs/teacher.log", Map.of())));
    Path file = dir.resolve("stack.json");

    state.write(file);

    assertThat(StackState.read(file)).isEqualTo(state);
    assertThat(StackState.read(file).entries()).extracting(StackEntry::name)
        .containsExactly("kafka", "teacher");
    assertThat(dir.resolve("stack.json.tmp")).doesNotExist();
  }

  @Test
  void unknownFieldsFromANewerVersionAreIgnoredAndAnEmptyStateRemovesTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("stack.json"), "{\"entries\": [{\"name\": \"a\", "
        + "\"pid\": 7, \"startMillis\": -1, \"logFile\": \"a.log\", \"color\": \"red\"}], "
        + "\"version\": 2}");

    assertThat(StackState.read(file).entries()).containsExactly(entry("a", 7));

    StackState.empty().write(file);
    assertThat(file).doesNotExist();
  }

  @Test
  void recordingReplacesAnEntryInPlaceAndAppendsNewOnes() {
    StackEntry a = entry("a", 1);
    StackEntry b = entry("b", 2);
    StackEntry a2 = entry("a", 3);

    StackState state = StackState.empty().with(a).with(b).with(a2);

    assertThat(state.entries()).containsExactly(a2, b);
    assertThat(state.without("a").entries()).containsExactly(b);
  }

  @Test
  void staleEntriesAreDroppedUnlessKept() {
    StackEntry alive = new StackEntry("alive", SELF, SELF_START, Map.of(), "l", Map.of());
    StackEntry reused =
        new StackEntry("reused", SELF, SELF_START - 60_000, Map.of(), "l", Map.of());
    StackEntry gone = entry("gone", Long.MAX_VALUE);
    StackState state = new StackState(List.of(alive, reused, gone));

    assertThat(state.withoutStale(Set.of()).entries()).containsExactly(alive);
    assertThat(state.withoutStale(Set.of("gone")).entries()).containsExactly(alive, gone);
  }

  @Test
  void missingFileIsAnEmptyStateAndAGarbledOneIsExplained() throws Exception {
    assertThat(StackState.read(dir.resolve("none.json")).entries()).isEmpty();

    Path garbled = Files.writeString(dir.resolve("stack.json"), "{ not json");
    assertThatThrownBy(() -> StackState.read(garbled))
        .isInstanceOf(RetortException.class)
        .hasMessageStartingWith(garbled + ": not a valid stack state file");
  }

  private static StackEntry entry(String name, long pid) {
    return new StackEntry(name, pid, -1, Map.of(), name + ".log", Map.of());
  }
}
