package io.sparksweep.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Npz;
import io.sparksweep.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir Path dir;

  @Test
  void batchnormNetRoundTripsWithItsRunningStatistics() throws Exception {
    FullyConnectedNet net =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder()
                .hiddenDims(20, 10)
                .inputDim(12)
                .normalization(Normalization.BATCHNORM)
                .dropoutKeepRatio(0.5)
                .weightScale(5e-2)
                .seed(3)
                .build());
    SplittableRandom rng = new SplittableRandom(1);
    Tensor x = Tensor.randn(DType.FLOAT32, rng, 1.0, 16, 12);
    int[] y = new int[16];
    for (int i = 0; i < 5; i++) {
      net.loss(x, y); // moves the running statistics away from their initial zeros
    }
    assertTrue(net.state().get("running_mean1").maxAbs() > 0);
    Path file = dir.resolve("m/net.npz");
    ModelFiles.save(net, file);
    Classifier loaded = ModelFiles.load(file);
    assertEquals(net.architectureJson(), loaded.architectureJson());
    assertArrayEquals(net.scores(x).toDoubleArray(), loaded.scores(x).toDoubleArray(), 0.0);
    for (String name : net.state().names()) {
      assertArrayEquals(
          net.state().get(name).toDoubleArray(), loaded.state().get(name).toDoubleArray(), 0.0);
    }
    // The archive is plain numpy: every parameter, the statistics and the architecture string.
    Npz.Contents contents = Npz.read(file);
    assertTrue(contents.tensors().keySet().containsAll(net.params().names()));
    assertTrue(contents.tensors().containsKey("running_var2"));
    assertTrue(contents.string(ModelFiles.ARCHITECTURE).contains("\"batchnorm\""));
  }

  @Test
  void convNetRoundTripsThroughBytes() {
    ThreeLayerConvNet net =
        new ThreeLayerConvNet(
            ThreeLayerConvNetConfig.defaults().withInput(3, 8, 8).withSizes(4, 3, 10));
    Tensor x = Tensor.randn(DType.FLOAT32, new SplittableRandom(2), 1.0, 3, 3, 8, 8);
    Classifier loaded = ModelFiles.fromBytes(ModelFiles.toBytes(net));
    assertTrue(loaded instanceof ThreeLayerConvNet);
    assertArrayEquals(net.scores(x).toDoubleArray(), loaded.scores(x).toDoubleArray(), 0.0);
  }

  @Test
  void aCorruptOrTruncatedModelIsRefusedInOneLine() throws Exception {
    FullyConnectedNet net =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder().hiddenDims(20).inputDim(12).build());
    byte[] bytes = ModelFiles.toBytes(net);
    // W1 is the first member: its data start after the local header, the name and the .npy header.
    int magic = 0;
    while (!(bytes[magic] == (byte) 0x93 && bytes[magic + 1] == 'N')) {
      magic++;
    }
    int dataStart = magic + 10 + ((bytes[magic + 8] & 0xFF) | (bytes[magic + 9] & 0xFF) << 8);
    byte[] flipped = bytes.clone();
    for (int i = dataStart + 40; i < dataStart + 44; i++) {
      flipped[i] ^= (byte) 0xFF;
    }
    Path bad = dir.resolve("flipped.npz");
    Files.write(bad, flipped);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(bad));
    assertTrue(e.getMessage().startsWith(bad + "!W1.npy: CRC-32 mismatch"), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'));
    Path cut = dir.resolve("truncated.npz");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    IllegalArgumentException t =
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(cut));
    assertTrue(t.getMessage().startsWith(cut + ": not a readable .npz archive"), t.getMessage());
    assertEquals(-1, t.getMessage().indexOf('\n'));
  }

  @Test
  void aFileThatIsNotAModelIsRefusedWithItsName() throws Exception {
    Path file = dir.resolve("weights.npz");
    Npz.write(file, java.util.Map.of("W1", Tensor.zeros(DType.FLOAT32, 2, 2)), java.util.Map.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(file));
    assertTrue(e.getMessage().contains("weights.npz"), e.getMessage());
    assertTrue(e.getMessage().contains("architecture"), e.getMessage());
    Files.delete(file);
  }
}
