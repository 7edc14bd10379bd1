package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.metrics.MetricName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueReaderTest {
  @TempDir Path glue;
  private GlueReader reader;

  @BeforeEach
  void setUp() {
    reader = GlueReader.builder().setDataDir(glue).build();
  }

  private void write(String dir, String file, String... lines) throws IOException {
    Path d = Files.createDirectories(glue.resolve(dir));
    Files.writeString(d.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void colaTrainHasNoHeaderAndTestHasOne() throws IOException {
    write(
        "CoLA",
        "train.tsv",
        "gj04\t1\t\tOur friends won't buy this analysis.",
        "gj04\t0\t*\tThey drank the pub.");
    write("CoLA", "test.tsv", "index\tsentence", "0\tBill whistled past the house.");
    Dataset train = reader.read(GlueTask.COLA, GlueSplit.TRAIN);
    assertThat(train.size()).isEqualTo(2);
    assertThat(train.get(0).textA()).isEqualTo("Our friends won't buy this analysis.");
    assertThat(train.get(0).label()).isEqualTo("1");
    assertThat(train.get(1).id()).isEqualTo("train-2");
    assertThat(train.labelIds()).containsExactly(1, 0);
    Dataset test = reader.read(GlueTask.COLA, GlueSplit.TEST);
    assertThat(test.get(0))
        .isEqualTo(new Example("Bill whistled past the house.", null, null, null, "0"));
  }

  @Test
  void sst2TextIsColumnZeroInTrainAndColumnOneInTest() throws IOException {
    write("SST-2", "train.tsv", "sentence\tlabel", "hide new secretions \t0");
    write("SST-2", "test.tsv", "index\tsentence", "7\tuneasy mishmash .");
    assertThat(reader.read(GlueTask.SST2, GlueSplit.TRAIN).get(0).textA())
        .isEqualTo("hide new secretions ");
    Example t = reader.read(GlueTask.SST2, GlueSplit.TEST).get(0);
    assertThat(t.textA()).isEqualTo("uneasy mishmash .");
    assertThat(t.id()).isEqualTo("7");
  }

  @Test
  void mrpcLabelIsColumnZeroAndTextsThreeAndFour() throws IOException {
    write(
        "MRPC",
        "dev.tsv",
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String",
        "1\t702876\t702977\tAmrozi accused his brother .\tReferring to him .");
    Example e = reader.read(GlueTask.MRPC, GlueSplit.DEV).get(0);
    assertThat(e.label()).isEqualTo("1");
    assertThat(e.textA()).isEqualTo("Amrozi accused his brother .");
    assertThat(e.textB()).isEqualTo("Referring to him .");
    assertThat(GlueTask.MRPC.metric().selectBy()).isEqualTo(MetricName.ACC_AND_F1);
  }

  @Test
  void qqpUsesColumnsThreeFourFiveAndTestColumnsOneTwo() throws IOException {
    write(
        "QQP",
        "train.tsv",
        "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
        "133273\t1\t2\tHow old?\tWhat age?\t1");
    write("QQP", "test.tsv", "id\tquestion1\tquestion2", "0\tWhy?\tHow?");
    Example e = reader.read(GlueTask.QQP, GlueSplit.TRAIN).get(0);
    assertThat(e).isEqualTo(new Example("How old?", "What age?", "1", null, "133273"));
    Example t = reader.read(GlueTask.QQP, GlueSplit.TEST).get(0);
    assertThat(t).isEqualTo(new Example("Why?", "How?", null, null, "0"));
  }

  @Test
  void stsbIsRegressionOnTheLastColumn() throws IOException {
    write(
        "STS-B",
        "dev.tsv",
        "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore",
        "0\tmain-captions\tMSRvid\t2012test\t0001\tnone\tnone\tA plane takes off.\tAn air plane"
            + " takes off.\t5.000",
        "1\tmain-captions\tMSRvid\t2012test\t0004\tnone\tnone\tA man plays.\tA man sings.\t0.800");
    Dataset d = reader.read(GlueTask.STSB, GlueSplit.DEV);
    assertThat(d.taskType()).isEqualTo(TaskType.REGRESSION);
    assertThat(d.targets()).containsExactly(5.0f, 0.8f);
    assertThat(d.get(1).textB()).isEqualTo("A man sings.");
  }

  @Test
  void mnliMatchedAndMismatchedDevFilesUseTheLastColumn() throws IOException {
    String header =
        "index\tpromptID\tpairID\tgenre\ts1b\ts2b\ts1p\ts2p\tsentence1\tsentence2\tlabel1\tlabel2"
            + "\tlabel3\tlabel4\tlabel5\tgold_label";
    write(
        "MNLI",
        "dev_matched.tsv",
        header,
        "0\t1\t1e\tfiction\tb\tb\tp\tp\tThe man ran.\tA man moved.\tentailment\tentailment\tneutral"
            + "\tentailment\tentailment\tentailment");
    write(
        "MNLI",
        "dev_mismatched.tsv",
        header,
        "0\t1\t1e\tletters\tb\tb\tp\tp\tDear sir.\tNo letter.\tcontradiction\tcontradiction"
            + "\tneutral\tcontradiction\tcontradiction\tcontradiction");
    assertThat(reader.read(GlueTask.MNLI, GlueSplit.DEV).labelIds()).containsExactly(1);
    Dataset mm = reader.read(GlueTask.MNLI_MM, GlueSplit.DEV);
    assertThat(mm.name()).isEqualTo("MNLI/dev_mismatched");
    assertThat(mm.labelIds()).containsExactly(0);
    assertThat(mm.get(0).textB()).isEqualTo("No letter.");
  }

  @Test
  void qnliRteWnliUseColumnsOneTwoAndLast() throws IOException {
    write(
        "QNLI", "train.tsv", "index\tquestion\tsentence\tlabel", "0\tWhat?\tThis.\tnot_entailment");
    write("RTE", "train.tsv", "index\tsentence1\tsentence2\tlabel", "0\tA.\tB.\tentailment");
    write("WNLI", "train.tsv", "index\tsentence1\tsentence2\tlabel", "0\tC.\tD.\t1");
    assertThat(reader.read(GlueTask.QNLI, GlueSplit.TRAIN).labelIds()).containsExactly(1);
    assertThat(reader.read(GlueTask.RTE, GlueSplit.TRAIN).get(0).textB()).isEqualTo("B.");
    assertThat(reader.read(GlueTask.WNLI, GlueSplit.TRAIN).labelIds()).containsExactly(1);
  }

  @Test
  void quotesAreOrdinaryCharactersAndTheBomIsStripped() throws IOException {
    Path d = Files.createDirectories(glue.resolve("SST-2"));
    Files.writeString(
        d.resolve("train.tsv"),
        "\uFEFFsentence\tlabel\r\n\"unbalanced quote \t1\r\n",
        StandardCharsets.UTF_8);
    Dataset train = reader.read(GlueTask.SST2, GlueSplit.TRAIN);
    assertThat(train.get(0).textA()).isEqualTo("\"unbalanced quote ");
    assertThat(train.get(0).label()).isEqualTo("1");
  }

  @Test
  void tooFewColumnsNamesFileLineAndLayout() throws IOException {
    write(
        "RTE",
        "dev.tsv",
        "index\tsentence1\tsentence2\tlabel",
        "0\tA.\tB.\tentailment",
        "1\tonly two");
    assertThatThrownBy(() -> reader.read(GlueTask.RTE, GlueSplit.DEV))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("dev.tsv:3")
        .hasMessageContaining("the row has 2 columns")
        .hasMessageContaining("text_a=col 1, text_b=col 2, label=last col");
  }

  @Test
  void badFloatInStsbNamesFileAndLine() throws IOException {
    write(
        "STS-B",
        "train.tsv",
        "index\tg\tf\ty\to\ts1\ts2\tsentence1\tsentence2\tscore",
        "0\tg\tf\ty\to\tn\tn\tA.\tB.\tfive");
    assertThatThrownBy(() -> reader.read(GlueTask.STSB, GlueSplit.TRAIN))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("train.tsv:2")
        .hasMessageContaining("'five' is not a number");
  }

  @Test
  void unknownLabelListsTheKnownLabels() throws IOException {
    write("QNLI", "dev.tsv", "index\tquestion\tsentence\tlabel", "0\tWhat?\tThis.\tmaybe");
    assertThatThrownBy(() -> reader.read(GlueTask.QNLI, GlueSplit.DEV))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("dev.tsv:2")
        .hasMessageContaining("unknown label 'maybe'")
        .hasMessageContaining("[entailment, not_entailment]");
  }

  @Test
  void malformedRowsCanBeSkipped() throws IOException {
    write(
        "QQP",
        "train.tsv",
        "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
        "1\t1\t2\tA?\tB?\t0",
        "2\tbroken row",
        "3\t5\t6\tC?\tD?\t1");
    GlueReader lenient = GlueReader.builder().setDataDir(glue).optSkipMalformedRows(true).build();
    assertThat(lenient.read(GlueTask.QQP, GlueSplit.TRAIN).labelIds()).containsExactly(0, 1);
  }

  @Test
  void missingFileIsReportedWithItsPath() {
    assertThatThrownBy(() -> reader.read(GlueTask.WNLI, GlueSplit.DEV))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("WNLI")
        .hasMessageContaining("does not exist");
  }

  @Test
  void taskNamesParseAndDiagnosticIsTestOnly() {
    assertThat(GlueTask.parse("sst-2")).isEqualTo(GlueTask.SST2);
    assertThat(GlueTask.parse("MNLI-mm")).isEqualTo(GlueTask.MNLI_MM);
    assertThat(GlueTask.parse("sts-b")).isEqualTo(GlueTask.STSB);
    assertThat(GlueTask.parse("cola")).isEqualTo(GlueTask.COLA);
    assertThat(GlueTask.AX.fileName(GlueSplit.TEST)).isEqualTo("diagnostic.tsv");
    assertThatThrownBy(() -> GlueTask.AX.fileName(GlueSplit.TRAIN))
        .isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> GlueTask.parse("squad")).hasMessageContaining("cola, sst-2");
    assertThat(GlueTask.MNLI.labels()).containsExactly("contradiction", "entailment", "neutral");
    assertThat(GlueTask.COLA.metric().selectBy()).isEqualTo(MetricName.MCC);
    assertThat(GlueTask.STSB.metric().selectBy()).isEqualTo(MetricName.CORR);
  }
}
