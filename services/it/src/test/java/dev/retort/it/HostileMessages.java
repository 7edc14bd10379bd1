package dev.retort.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.CheckpointReady;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.EmdSolve;
import dev.retort.proto.v1.JobControl;
import dev.retort.proto.v1.LossRequest;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.Matrix;
import dev.retort.proto.v1.OutputSelection;
import dev.retort.proto.v1.SchemaVersion;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.proto.v1.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed and hostile messages for every topic a service consumes: random and truncated bytes,
 * wrong schema versions, unknown enum values, absurd shapes, NaN/Inf tensors, paths out of the
 * artifact store and impossible jobs. Each case has a name; {@link #all} returns every case at
 * least once per topic and then random mutations up to the requested count.
 */
final class HostileMessages {
  /** One message to publish. */
  record Hostile(String topic, String kase, byte[] value) {}

  private HostileMessages() {}

  static List<Hostile> all(int perTopic, long seed) {
    Random rnd = new Random(seed);
    List<Hostile> out = new ArrayList<>();
    for (String topic : List.of(Topics.JOB_REQUESTS, Topics.JOB_CONTROL, Topics.TEACHER_REQUESTS, Topics.TEACHER_INDEX,
        Topics.LOSS_REQUESTS, Topics.LOSS_REPLIES, Topics.CHECKPOINTS)) {
      List<Hostile> cases = cases(topic);
      out.addAll(cases);
      byte[] valid = valid(topic);
      for (int i = cases.size(); i < perTopic; i++) {
        out.add(new Hostile(topic, "mutation-" + i, mutate(valid, rnd)));
      }
    }
    return out;
  }

  private static List<Hostile> cases(String topic) {
    List<Hostile> c = new ArrayList<>();
    byte[] valid = valid(topic);
    c.add(new Hostile(topic, "random-bytes", new Random(topic.hashCode()).ints(64, 0, 256).collect(ByteArrayOutputStream::new, (s, b) -> s.write(b), (a, b) -> { }).toByteArray()));
    c.add(new Hostile(topic, "truncated", java.util.Arrays.copyOf(valid, Math.max(1, valid.length / 2))));
    c.add(new Hostile(topic, "empty", new byte[0]));
    // The schema_version field is number 1 in every message but TeacherOutputLocation (9, added
    // later); a varint on another field number would only be an unknown field, which is valid.
    int schemaField = topic.equals(Topics.TEACHER_INDEX) ? 9 : 1;
    c.add(new Hostile(topic, "wrong-schema-version", withVarint(valid, schemaField, 7)));
    c.add(new Hostile(topic, "unknown-enum", withVarint(valid, schemaField, 1_000_000)));
    switch (topic) {
      case Topics.JOB_REQUESTS -> {
        c.add(json(topic, "impossible-batch", "{\"distill\":{\"training\":{\"batch-size\":0}}}"));
        c.add(json(topic, "huge-length", "{\"task\":{\"max-length\":100000000}}"));
        c.add(json(topic, "unknown-method", "{\"distill\":{\"method\":\"magic\"}}"));
        c.add(json(topic, "path-escape", "{\"task\":{\"format\":\"glue\",\"name\":\"SST-2\",\"dir\":\"../../../../etc\"}}"));
        c.add(json(topic, "no-student-layers", "{\"student\":{\"layers\":0}}"));
        c.add(new Hostile(topic, "bad-json", "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":".getBytes(StandardCharsets.UTF_8)));
        c.add(new Hostile(topic, "bad-job-id", "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"../x\",\"job\":{\"teacher\":{\"model\":\"preset:tiny\"}}}".getBytes(StandardCharsets.UTF_8)));
      }
      case Topics.TEACHER_REQUESTS -> {
        c.add(new Hostile(topic, "negative-shape", teacher(tensor(new long[] {-2, 4}, 8), "preset:tiny")));
        c.add(new Hostile(topic, "huge-shape", teacher(tensor(new long[] {1L << 40, 1L << 40}, 8), "preset:tiny")));
        c.add(new Hostile(topic, "bytes-mismatch", teacher(tensor(new long[] {2, 4}, 5), "preset:tiny")));
        c.add(new Hostile(topic, "ref-escape", teacher(tensor(new long[] {1, 4}, 32), "checkpoint:../../../../etc")));
        c.add(new Hostile(topic, "unknown-model", teacher(tensor(new long[] {1, 4}, 32), "maven:no.such:model:1")));
        c.add(new Hostile(topic, "token-id-out-of-range", teacher(ids(new long[] {1, 4}, 99_999_999L), "preset:tiny")));
      }
      case Topics.LOSS_REQUESTS -> {
        c.add(new Hostile(topic, "nan-distances", loss(matrix(4, 12, Double.NaN))));
        c.add(new Hostile(topic, "inf-distances", loss(matrix(4, 12, Double.POSITIVE_INFINITY))));
        c.add(new Hostile(topic, "matrix-mismatch", loss(Matrix.newBuilder().setRows(4).setCols(12).addValues(1).build())));
        c.add(new Hostile(topic, "negative-rows", loss(Matrix.newBuilder().setRows(-4).setCols(12).build())));
      }
      case Topics.CHECKPOINTS -> {
        c.add(new Hostile(topic, "path-escape", CheckpointReady.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
            .setJobId("fuzz").setRole("student").setPath("../../../../etc").build().toByteArray()));
        c.add(new Hostile(topic, "missing-model", CheckpointReady.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
            .setJobId("fuzz").setRole("student").setPath("jobs/none/student/snapshots/step-1").build().toByteArray()));
      }
      default -> { }
    }
    return c;
  }

  /** A well-formed message of the topic, the base of mutations. */
  static byte[] valid(String topic) {
    return switch (topic) {
      case Topics.JOB_REQUESTS -> "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"fuzz-base\",\"job\":{\"teacher\":{\"model\":\"preset:tiny\"},\"task\":{\"max-length\":100000}}}".getBytes(StandardCharsets.UTF_8);
      case Topics.JOB_CONTROL -> JobControl.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setJobId("fuzz-none")
          .setCancel(JobControl.Cancel.newBuilder().setReason("fuzz")).build().toByteArray();
      case Topics.TEACHER_REQUESTS -> teacher(tensor(new long[] {2, 4}, 8), "checkpoint:jobs/none/teacher/best");
      case Topics.TEACHER_INDEX -> TeacherOutputLocation.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
          .setPassId("fuzz").setTopic(Topics.TEACHER_OUTPUTS).setPartition(0).setOffset(1L << 50).setChunks(1).build().toByteArray();
      case Topics.LOSS_REQUESTS -> loss(matrix(4, 12, 0.5));
      case Topics.LOSS_REPLIES -> LossReply.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setJobId("fuzz")
          .setRequestId("nobody/1/emd").setError("fuzz").build().toByteArray();
      case Topics.CHECKPOINTS -> CheckpointReady.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1)
          .setJobId("fuzz").setRole("teacher").setPath("jobs/none/teacher/best").build().toByteArray();
      default -> throw new IllegalArgumentException(topic);
    };
  }

  private static Hostile json(String topic, String kase, String job) {
    String s = "{\"schemaVersion\":\"SCHEMA_VERSION_1\",\"jobId\":\"fuzz-" + kase + "\",\"job\":{\"teacher\":{\"model\":\"preset:tiny\"},"
        + job.substring(1, job.length() - 1) + "}}";
    return new Hostile(topic, kase, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] teacher(Tensor ids, String ref) {
    return TeacherRequest.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setPassId("fuzz").setBatchIndex(1)
        .setTeacherRef(ref).setNumLabels(3)
        .setSelection(OutputSelection.newBuilder().addHiddenLayers(0).setLogits(true).setDtype(DType.DTYPE_FP32))
        .setInputIds(ids).setTokenTypeIds(ids).setAttentionMask(ids).setRequestedBy("fuzz").build().toByteArray();
  }

  private static Tensor tensor(long[] shape, int bytes) {
    Tensor.Builder t = Tensor.newBuilder().setDtype(DType.DTYPE_INT64).setData(ByteString.copyFrom(new byte[bytes]));
    for (long d : shape) {
      t.addShape(d);
    }
    return t.build();
  }

  private static Tensor ids(long[] shape, long value) {
    int n = (int) (shape[0] * shape[1]);
    ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putLong(value);
    }
    Tensor.Builder t = Tensor.newBuilder().setDtype(DType.DTYPE_INT64).setData(ByteString.copyFrom(b.array()));
    for (long d : shape) {
      t.addShape(d);
    }
    return t.build();
  }

  private static Matrix matrix(int rows, int cols, double v) {
    Matrix.Builder m = Matrix.newBuilder().setRows(rows).setCols(cols);
    for (int i = 0; i < rows * cols; i++) {
      m.addValues(v);
    }
    return m.build();
  }

  /** Each hostile loss request is its own job: the loss service answers a repeated (job, step) from its record. */
  private static final java.util.concurrent.atomic.AtomicInteger LOSS_JOBS = new java.util.concurrent.atomic.AtomicInteger();

  private static byte[] loss(Matrix d) {
    String job = "fuzz-loss-" + LOSS_JOBS.incrementAndGet();
    double[] s = {0.25, 0.25, 0.25, 0.25};
    double[] t = new double[12];
    java.util.Arrays.fill(t, 1.0 / 12);
    var w = dev.retort.proto.v1.EmdLayerWeights.newBuilder();
    for (double x : s) {
      w.addStudentAtt(x).addStudentHid(x);
    }
    for (double x : t) {
      w.addTeacherAtt(x).addTeacherHid(x);
    }
    return LossRequest.newBuilder().setSchemaVersion(SchemaVersion.SCHEMA_VERSION_1).setJobId(job).setStep(1)
        .setRequestId(job + "/1/emd").setEmd(EmdSolve.newBuilder().setWeights(w).setAttDistances(d).setHidDistances(d))
        .build().toByteArray();
  }

  /** Sets field {@code field} to a varint by appending it: for a scalar field the last value wins. */
  private static byte[] withVarint(byte[] valid, int field, long value) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      bos.write(valid);
      CodedOutputStream out = CodedOutputStream.newInstance(bos);
      out.writeUInt64(field, value);
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] mutate(byte[] valid, Random rnd) {
    byte[] m = valid.clone();
    int kind = rnd.nextInt(4);
    switch (kind) {
      case 0 -> { // flip bytes
        for (int i = 0; i < 1 + rnd.nextInt(4) && m.length > 0; i++) {
          m[rnd.nextInt(m.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
      }
      case 1 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(Math.max(1, m.length)));
      case 2 -> {
        byte[] r = new byte[1 + rnd.nextInt(256)];
        rnd.nextBytes(r);
        m = r;
      }
      default -> {
        byte[] r = new byte[m.length + 8];
        System.arraycopy(m, 0, r, 0, m.length);
        for (int i = m.length; i < r.length; i++) {
          r[i] = (byte) rnd.nextInt(256);
        }
        m = r;
      }
    }
    return m;
  }
}
