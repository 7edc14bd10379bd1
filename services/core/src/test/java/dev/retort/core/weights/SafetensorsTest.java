package dev.retort.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import dev.retort.core.tensor.DType;
import dev.retort.core.tensor.HalfFloats;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static HostTensor raw(DType t, long[] shape, byte... bytes) {
    return new HostTensor(t, shape, ByteBuffer.wrap(bytes));
  }

  private static StateDict allDtypes() {
    StateDict sd = new StateDict("mem");
    sd.put("f32", HostTensor.ofFloats(new long[] {2, 2}, new float[] {1.5f, -2f, 0f, 3.25f}));
    ByteBuffer f16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    f16.putShort(HalfFloats.toF16(0.5f))
        .putShort(HalfFloats.toF16(-1f))
        .putShort(HalfFloats.toF16(65504f));
    sd.put("f16", new HostTensor(DType.F16, new long[] {3}, f16.flip()));
    ByteBuffer bf16 =
        ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(HalfFloats.toBf16(2f));
    sd.put("bf16", new HostTensor(DType.BF16, new long[] {1}, bf16.flip()));
    sd.put("i64", HostTensor.ofLongs(new long[] {1, 2}, new long[] {Long.MIN_VALUE, 42}));
    ByteBuffer i32 =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(1 << 30);
    sd.put("i32", new HostTensor(DType.I32, new long[] {2}, i32.flip()));
    sd.put("i8", raw(DType.I8, new long[] {3}, (byte) -128, (byte) 0, (byte) 127));
    sd.put("u8", raw(DType.U8, new long[] {1, 1, 1}, (byte) 255));
    sd.put("scalar", HostTensor.ofFloats(new long[] {}, new float[] {9f}));
    sd.put("empty", HostTensor.ofFloats(new long[] {0, 4}, new float[0]));
    sd.metadata().put("format", "pt");
    sd.metadata().put("note", "héllo");
    return sd;
  }

  @Test
  void everyDtypeAndTheMetadataRoundTrip() throws IOException {
    StateDict in = allDtypes();
    Path f = dir.resolve("m.safetensors");
    SafetensorsWriter.write(f, in);

    StateDict out = SafetensorsReader.read(f);

    assertThat(out.names()).containsExactlyInAnyOrderElementsOf(in.names());
    in.asMap().forEach((k, v) -> assertThat(out.get(k)).as(k).isEqualTo(v));
    assertThat(out.metadata()).containsEntry("format", "pt").containsEntry("note", "héllo");
    assertThat(out.get("f16").toFloats()).containsExactly(0.5f, -1f, 65504f);
    assertThat(out.get("i64").toLongs()).containsExactly(Long.MIN_VALUE, 42);
    // the in-memory reader agrees with the mapped one
    StateDict mem = SafetensorsReader.read(ByteBuffer.wrap(Files.readAllBytes(f)), "mem");
    in.asMap().forEach((k, v) -> assertThat(mem.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void headerIsPaddedSortedAndTensorsAreAlignedToTheirWidth() throws IOException {
    Path f = dir.resolve("m.safetensors");
    SafetensorsWriter.write(f, allDtypes());
    byte[] b = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);

    assertThat((8 + n) % 8).isZero();
    assertThat(header).startsWith("{\"__metadata__\":{");
    JsonNode root = new ObjectMapper().readTree(header.strip());
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    assertThat(keys.subList(1, keys.size())).isSorted();
    root.properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("__metadata__")) {
                long begin = e.getValue().get("data_offsets").get(0).asLong();
                int width = DType.valueOf(e.getValue().get("dtype").asText()).bytes();
                assertThat(begin % width).as(e.getKey()).isZero();
              }
            });
    // the 8-byte i64 tensor comes first in the data section
    assertThat(root.get("i64").get("data_offsets").get(0).asLong()).isZero();
  }

  @Test
  void handWrittenFileIsReadExactly() {
    String header =
        "{\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[8,12]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    ByteBuffer file = file(header, 12);
    file.putFloat(8 + header.length(), 1f)
        .putFloat(12 + header.length(), -0.5f)
        .putInt(16 + header.length(), 77);

    StateDict sd = SafetensorsReader.read(file, "hand");

    assertThat(sd.names()).containsExactly("a", "b"); // offset order
    assertThat(sd.get("a").toFloats()).containsExactly(1f, -0.5f);
    assertThat(sd.get("b").toLongs()).containsExactly(77);
    assertThat(sd.metadata()).isEmpty();
  }

  private static ByteBuffer file(String header, int dataLen) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataLen).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, h.length);
    b.put(8, h);
    return b;
  }

  @Test
  void corruptHeaderIsRejectedWithFileName() throws IOException {
    Path f = dir.resolve("bad.safetensors");
    Files.write(f, file("{\"a\": {\"dtype\": \"F32\", ", 0).array());
    assertThatThrownBy(() -> SafetensorsReader.read(f))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("bad.safetensors")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void impossibleHeaderLengthIsRejected() throws IOException {
    Path f = dir.resolve("len.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    Files.write(f, b.array());
    assertThatThrownBy(() -> SafetensorsReader.read(f))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("len.safetensors")
        .hasMessageContaining("header length");
  }

  @Test
  void tensorErrorsNameTheTensor() {
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
                    "x.safetensors"))
        .hasMessageContaining("x.safetensors tensor 'w'")
        .hasMessageContaining("F64");
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                    "x.safetensors"))
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("needs 12 bytes");
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                            + "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                        12),
                    "x.safetensors"))
        .hasMessageContaining("tensor 'v'")
        .hasMessageContaining("without gaps");
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8),
                    "x.safetensors"))
        .hasMessageContaining("cover 4 bytes but the data section has 8");
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,40]}}", 8),
                    "x.safetensors"))
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("outside the data section");
    assertThatThrownBy(
            () ->
                SafetensorsReader.read(
                    file(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        4),
                    "x.safetensors"))
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("Duplicate");
  }
}
