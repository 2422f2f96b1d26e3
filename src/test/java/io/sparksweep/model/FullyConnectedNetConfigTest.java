package io.sparksweep.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FullyConnectedNetConfigTest {

  @Test
  void defaultsAreTheNotebooks() {
    FullyConnectedNetConfig c = FullyConnectedNetConfig.builder().hiddenDims(100, 100).build();
    assertEquals(List.of(100, 100), c.hiddenDims());
    assertEquals(3 * 32 * 32, c.inputDim());
    assertEquals(10, c.numClasses());
    assertEquals(1.0, c.dropoutKeepRatio());
    assertEquals(Normalization.NONE, c.normalization());
    assertEquals(0.0, c.reg());
    assertEquals(1e-2, c.weightScale());
    assertEquals(DType.FLOAT32, c.dtype());
  }

  @Test
  void architectureJsonIsAFlatObjectOfTheConfig() {
    FullyConnectedNetConfig c =
        FullyConnectedNetConfig.builder()
            .hiddenDims(20, 30)
            .inputDim(15)
            .numClasses(7)
            .dropoutKeepRatio(0.75)
            .normalization("layernorm")
            .reg(3.14)
            .weightScale(1e-4)
            .dtype(DType.FLOAT64)
            .seed(-5)
            .build();
    String expected =
        "{\"model\":\"fc\",\"hidden_dims\":[20,30],\"input_dim\":15,\"num_classes\":7,"
            + "\"dropout_keep_ratio\":0.75,\"normalization\":\"layernorm\",\"reg\":3.14,"
            + "\"weight_scale\":1.0E-4,\"dtype\":\"float64\",\"seed\":-5}";
    assertEquals(expected, c.toJson());
    assertEquals(expected, new FullyConnectedNet(c).architectureJson());
    assertEquals(c, FullyConnectedNetConfig.fromJson(c.toJson()));
  }

  @Test
  void fromJsonAcceptsWhitespaceAnyOrderAndDefaults() {
    FullyConnectedNetConfig c =
        FullyConnectedNetConfig.fromJson(
            " { \"seed\" : 3 , \"hidden_dims\" : [ 5 ], \"normalization\":\"batchnorm\","
                + " \"note\": \"ignored\" } ");
    assertEquals(
        FullyConnectedNetConfig.builder()
            .hiddenDims(5)
            .normalization(Normalization.BATCHNORM)
            .seed(3)
            .build(),
        c);
    assertEquals(List.of(), FullyConnectedNetConfig.fromJson("{\"hidden_dims\":[]}").hiddenDims());
  }

  @Test
  void fromJsonRejectsOtherModelsAndMalformedText() {
    assertMessage(() -> FullyConnectedNetConfig.fromJson("{\"model\":\"cnn\"}"), "cnn");
    assertMessage(() -> FullyConnectedNetConfig.fromJson("{\"reg\":}"), "number");
    assertMessage(() -> FullyConnectedNetConfig.fromJson("{\"reg\":1} x"), "after");
    assertMessage(() -> FullyConnectedNetConfig.fromJson("{\"dtype\":\"int8\"}"), "int8");
    assertMessage(() -> FullyConnectedNetConfig.fromJson("{\"reg\":-1}"), "reg");
  }

  @Test
  void invalidValuesAreNamed() {
    assertMessage(() -> build().dropoutKeepRatio(0).build(), "dropoutKeepRatio", "0.0");
    assertMessage(() -> build().dropoutKeepRatio(1.5).build(), "dropoutKeepRatio", "1.5");
    assertMessage(() -> build().dropoutKeepRatio(Double.NaN).build(), "dropoutKeepRatio", "NaN");
    assertMessage(() -> build().reg(-0.1).build(), "reg", "-0.1");
    assertMessage(() -> build().weightScale(0).build(), "weightScale", "0.0");
    assertMessage(() -> build().hiddenDims(10, 0).build(), "hiddenDims[1]", "0");
    assertMessage(() -> build().inputDim(0).build(), "inputDim", "0");
    assertMessage(() -> build().numClasses(0).build(), "numClasses", "0");
    assertMessage(
        () -> build().normalization("groupnorm"), "groupnorm", "none, batchnorm, layernorm");
    assertMessage(() -> build().normalization((Normalization) null).build(), "normalization");
  }

  private static FullyConnectedNetConfig.Builder build() {
    return FullyConnectedNetConfig.builder().hiddenDims(10);
  }

  private static void assertMessage(Executable e, String... parts) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String part : parts) {
      assertTrue(ex.getMessage().contains(part), ex.getMessage() + " lacks " + part);
    }
  }
}
