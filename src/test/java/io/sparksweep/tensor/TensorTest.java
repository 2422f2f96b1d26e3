package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorTest {

  private static double[] naiveMatmul(double[] a, double[] b, int m, int k, int n) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i * k + p] * b[p * n + j];
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void matmulMatchesNaiveLoopsForEveryTransposition(DType dtype) {
    SplittableRandom rng = new SplittableRandom(1);
    int m = 7;
    int k = 5;
    int n = 3;
    Tensor a = Tensor.randn(dtype, rng, 1.0, m, k);
    Tensor b = Tensor.randn(dtype, rng, 1.0, k, n);
    double[] expected = naiveMatmul(a.toDoubleArray(), b.toDoubleArray(), m, k, n);
    double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
    assertArrayEquals(expected, Tensor.matmul(a, b).toDoubleArray(), tol);
    assertArrayEquals(expected, Tensor.matmul(a.transpose(), true, b, false).toDoubleArray(), tol);
    assertArrayEquals(expected, Tensor.matmul(a, false, b.transpose(), true).toDoubleArray(), tol);
    assertArrayEquals(
        expected, Tensor.matmul(a.transpose(), true, b.transpose(), true).toDoubleArray(), tol);
  }

  @Test
  void matmulNamesBothShapesWhenInnerDimensionsDiffer() {
    Tensor a = Tensor.zeros(DType.FLOAT64, 2, 3);
    Tensor b = Tensor.zeros(DType.FLOAT64, 4, 5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.matmul(a, b));
    assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 5)"));
  }

  @Test
  void linspaceMatchesNumpy() {
    Tensor t = Tensor.linspace(DType.FLOAT64, -0.1, 0.5, 2, 2);
    assertArrayEquals(new double[] {-0.1, 0.1, 0.3, 0.5}, t.toDoubleArray(), 1e-15);
  }

  @Test
  void rowReductionsAndBroadcasts() {
    Tensor x = Tensor.of(DType.FLOAT64, new double[] {1, 2, 3, 6, 5, 10}, 3, 2);
    assertArrayEquals(new double[] {3, 6}, x.meanRows().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {8.0 / 3, 32.0 / 3}, x.varRows().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {1.5, 4.5, 7.5}, x.meanColumns().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0.25, 2.25, 6.25}, x.varColumns().toDoubleArray(), 1e-12);
    Tensor centered = x.subRowVector(x.meanRows());
    assertArrayEquals(new double[] {0, 0}, centered.sumRows().toDoubleArray(), 1e-12);
    assertArrayEquals(new int[] {1, 1, 1}, x.argmaxColumns());
  }

  @Test
  void reshapeSharesStorageAndInfersOneDimension() {
    Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3, 4);
    Tensor v = x.reshape(2, -1);
    assertArrayEquals(new int[] {2, 12}, v.shape());
    v.setFlat(5, 7);
    assertEquals(7, x.get(0, 1, 1), 0);
    assertThrows(IllegalArgumentException.class, () -> x.reshape(5, -1));
  }

  @Test
  void gemmBackendIsReported() {
    assertTrue(!Gemm.backend().isEmpty());
  }
}
