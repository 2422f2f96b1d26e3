package io.sparksweep.bench;

/**
 * One measured row of the benchmark: ours (one backend) or PyTorch's (one malloc variant).
 *
 * @param workload the workload
 * @param impl {@code sparksweep} or {@code torch}
 * @param blas ours: the float32 GEMM ({@code JNIBLAS}, {@code VectorSgemm}, …); PyTorch: its
 *     variant ({@code torch}, {@code torch/no-trim})
 * @param median median img/s over the repetitions
 * @param min slowest repetition, img/s
 * @param max fastest repetition, img/s
 * @param cpuMedian median images per CPU-second of the measuring process (rate ÷ its CPUs in use):
 *     on a shared machine, time slicing lowers the wall-clock rate but not this one
 * @param allocPerImage ours: steady-state heap bytes allocated per training image (-1 unknown)
 * @param peakRss ours: peak RSS of the measuring JVM in bytes (-1 unknown)
 * @param foreignCpus ours: mean CPUs other processes used while ours ran
 * @param note free text, e.g. {@code child JVM}; empty if none
 */
public record Row(
    Workload workload,
    String impl,
    String blas,
    double median,
    double min,
    double max,
    double cpuMedian,
    double allocPerImage,
    long peakRss,
    double foreignCpus,
    String note) {
  /** {@code impl} of our rows. */
  public static final String OURS = "sparksweep";

  /** Whether this row measures sparksweep (not PyTorch). */
  public boolean ours() {
    return OURS.equals(impl);
  }
}
