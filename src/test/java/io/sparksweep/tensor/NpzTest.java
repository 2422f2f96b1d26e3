package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
  @TempDir Path tmp;

  private Path resource(String name) throws IOException {
    Path file = tmp.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private static void assertSameTensor(Tensor expected, Tensor actual) {
    assertEquals(expected.dtype(), actual.dtype());
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0);
  }

  @ParameterizedTest
  @EnumSource(Npz.Compression.class)
  void roundTripsTensorsOfEveryRankAndStrings(Npz.Compression compression) throws IOException {
    SplittableRandom rng = new SplittableRandom(2);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("scalar", Tensor.full(DType.FLOAT64, -0.125));
    tensors.put("b1", Tensor.randn(DType.FLOAT32, rng, 1.0, 7));
    tensors.put("W1", Tensor.randn(DType.FLOAT64, rng, 1e-3, 4, 5));
    tensors.put("W2", Tensor.randn(DType.FLOAT32, rng, 1.0, 2, 3, 4));
    tensors.put("conv/W", Tensor.randn(DType.FLOAT64, rng, 1.0, 2, 3, 2, 2));
    tensors.put("empty", Tensor.zeros(DType.FLOAT32, 0, 4));
    Map<String, String> strings = new LinkedHashMap<>();
    strings.put("architecture", "conv - relu - 2x2 max pool - affine × 2 😀");
    strings.put("blank", "");
    Path file = tmp.resolve("params.npz");
    Npz.write(file, tensors, strings, compression);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npz.write(bytes, tensors, strings, compression);

    for (Npz.Contents read :
        List.of(Npz.read(file), Npz.read(new ByteArrayInputStream(bytes.toByteArray())))) {
      assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        assertSameTensor(e.getValue(), read.tensor(e.getKey()));
      }
      assertEquals(strings, read.strings());
    }
  }

  /** The header numpy 2.4 writes for {@code np.save(f, np.zeros((2, 3), '<f4'))}, byte for byte. */
  @Test
  void headerMatchesNumpyByteForByte() {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    byte[] expected = new byte[128];
    expected[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, expected, 1, 5);
    expected[6] = 1;
    expected[7] = 0;
    expected[8] = 'v'; // header length 118, little-endian
    expected[9] = 0;
    byte[] text =
        (dict + " ".repeat(117 - dict.length()) + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, expected, 10, text.length);
    byte[] npy = Npz.npy(Tensor.zeros(DType.FLOAT32, 2, 3));
    assertEquals(128 + 24, npy.length);
    assertArrayEquals(expected, Arrays.copyOf(npy, 128));
  }

  /** See make_golden.py next to the resources: files written by numpy's savez. */
  @ParameterizedTest
  @ValueSource(strings = {"golden.npz", "golden_compressed.npz"})
  void readsWhatNumpyWrites(String name) throws IOException {
    Npz.Contents fromFile = Npz.read(resource(name));
    Npz.Contents fromStream;
    try (InputStream in = getClass().getResourceAsStream(name)) {
      fromStream = Npz.read(in);
    }
    for (Npz.Contents npz : List.of(fromFile, fromStream)) {
      float[] w1 = new float[24];
      for (int i = 0; i < 24; i++) {
        w1[i] = i / 7f;
      }
      assertSameTensor(Tensor.wrap(w1, 2, 3, 4), npz.tensor("W1"));
      assertSameTensor(
          Tensor.wrap(new double[] {1.5, -2.25, 1e-300, Math.PI}, 2, 2), npz.tensor("b1"));
      assertSameTensor(Tensor.wrap(new double[] {-0.5}), npz.tensor("scalar"));
      assertSameTensor(Tensor.wrap(new double[] {-3, 0, 7}, 3), npz.tensor("counts"));
      assertSameTensor(Tensor.wrap(new double[] {1, 2}, 1, 2), npz.tensor("small"));
      assertSameTensor(Tensor.wrap(new double[] {0, 255}, 2), npz.tensor("pixels"));
      assertSameTensor(Tensor.zeros(DType.FLOAT32, 0, 3), npz.tensor("empty"));
      assertEquals("conv-relu-pool × 2 → affine", npz.string("architecture"));
      assertEquals(
          List.of("W1", "b1", "scalar", "counts", "small", "pixels", "empty"),
          List.copyOf(npz.tensors().keySet()));
    }
  }

  private void assertRejected(String resource, String... fragments) throws IOException {
    Path file = resource(resource);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().contains(file + "!x.npy"), e::getMessage);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), e::getMessage);
    }
  }

  @Test
  void rejectsBigEndianFortranOrderObjectsAndOtherDtypes() throws IOException {
    assertRejected("bigendian.npz", "big-endian dtype >f4", "a.astype('<f4')");
    assertRejected("fortran.npz", "Fortran-order", "np.ascontiguousarray");
    assertRejected("object.npz", "dtype |O", "pickle");
    assertRejected("complex.npz", "dtype <c16 is not supported");
  }

  @Test
  void rejectsDamagedOrForeignMembers() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> read(Map.of("x.npy", new byte[3])));
    byte[] npy = Npz.npy(Tensor.zeros(DType.FLOAT64, 2));
    byte[] badMagic = npy.clone();
    badMagic[1] = 'X';
    assertMessage("bad magic", () -> read(Map.of("x.npy", badMagic)));
    assertMessage(
        "data holds 8 bytes, expected 16",
        () -> read(Map.of("x.npy", Arrays.copyOf(npy, npy.length - 8))));
    assertMessage("not a .npy member", () -> read(Map.of("readme.txt", npy)));
    byte[] v9 = npy.clone();
    v9[6] = 9;
    assertMessage("version 9", () -> read(Map.of("x.npy", v9)));
  }

  /** An archive of W1 (float32, 40 elements) then b1, with 4 bytes inside W1's data flipped. */
  private static byte[] withW1Flipped(Npz.Compression compression) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("W1", Tensor.randn(DType.FLOAT32, new SplittableRandom(3), 1.0, 5, 8));
    tensors.put("b1", Tensor.zeros(DType.FLOAT32, 8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(out, tensors, Map.of("architecture", "{}"), compression);
    byte[] bytes = out.toByteArray();
    int i = indexOf(bytes, "W1.npy".getBytes(StandardCharsets.US_ASCII)) + 40;
    if (compression == Npz.Compression.STORED) {
      int magic = indexOf(bytes, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
      int headerLength = (bytes[magic + 8] & 0xFF) | (bytes[magic + 9] & 0xFF) << 8;
      i = magic + 10 + headerLength + 12; // the 4th float of W1
    }
    for (int k = i; k < i + 4; k++) {
      bytes[k] ^= (byte) 0x5A;
    }
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @ParameterizedTest
  @EnumSource(Npz.Compression.class)
  void aFlippedByteInsideAnArrayIsRefusedByItsCrc(Npz.Compression compression) throws IOException {
    Path file = tmp.resolve("flipped-" + compression + ".npz");
    Files.write(file, withW1Flipped(compression));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().startsWith(file + "!W1.npy: "), e::getMessage);
    assertTrue(e.getMessage().contains("corrupt"), e::getMessage);
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    if (compression == Npz.Compression.STORED) {
      assertTrue(e.getMessage().contains("CRC-32 mismatch"), e::getMessage);
    }
    byte[] bytes = Files.readAllBytes(file);
    IllegalArgumentException s =
        assertThrows(
            IllegalArgumentException.class, () -> Npz.read(new ByteArrayInputStream(bytes)));
    assertTrue(s.getMessage().contains("CRC") || s.getMessage().contains("corrupt"), s::getMessage);
  }

  @Test
  void truncatedEmptyAndForeignFilesAreRefusedInOneLine() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(
        out, Map.of("W1", Tensor.zeros(DType.FLOAT32, 100)), Map.of(), Npz.Compression.STORED);
    byte[] good = out.toByteArray();
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("truncated.npz", Arrays.copyOf(good, good.length / 2));
    cases.put("no-end-record.npz", Arrays.copyOf(good, good.length - 10));
    cases.put("empty.npz", new byte[0]);
    cases.put("text.npz", "W1 = [1, 2, 3]\n".getBytes(StandardCharsets.US_ASCII));
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      Path file = tmp.resolve(c.getKey());
      Files.write(file, c.getValue());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Npz.read(file), c.getKey());
      assertTrue(
          e.getMessage().startsWith(file + ": not a readable .npz archive (truncated or not a zip"),
          e::getMessage);
      assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Npz.read(new ByteArrayInputStream(Arrays.copyOf(good, good.length / 2))));
    assertThrows(
        IllegalArgumentException.class,
        () -> Npz.read(new ByteArrayInputStream("not a zip".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void rejectsNamesUsedTwice() {
    Map<String, Tensor> tensors = Map.of("a", Tensor.zeros(DType.FLOAT32, 1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Npz.write(
                new ByteArrayOutputStream(), tensors, Map.of("a", "x"), Npz.Compression.STORED));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Npz.write(
                new ByteArrayOutputStream(),
                Map.of("", Tensor.zeros(DType.FLOAT32, 1)),
                Map.of(),
                Npz.Compression.STORED));
  }

  private static void assertMessage(
      String fragment, org.junit.jupiter.api.function.Executable run) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    assertTrue(e.getMessage().contains(fragment), e::getMessage);
  }

  private static Npz.Contents read(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return Npz.read(new ByteArrayInputStream(bytes.toByteArray()));
  }
}
