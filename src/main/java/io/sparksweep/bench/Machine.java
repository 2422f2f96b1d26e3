package io.sparksweep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmark knows about the machine and the load on it, from {@code /proc}: the CPU model,
 * this process's peak RSS, and a {@link LoadMeter} for the CPUs other processes use (the accounting
 * of PyTorch's benchmark, {@code anchor_common.py}).
 */
public final class Machine {
  private Machine() {}

  /** Peak resident set size of this process (VmHWM), in bytes, or -1 where unknown. */
  public static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The CPU's model name and the processor count, e.g. {@code AMD EPYC ×2}, or "unknown". */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim()
              + " ×"
              + Runtime.getRuntime().availableProcessors();
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
    return "unknown";
  }

  /**
   * CPUs used by other processes since {@link #start()}, from {@code /proc/stat} minus this
   * process's own CPU time.
   */
  public static final class LoadMeter {
    private final long wall;
    private final double busy;
    private final double own;

    private LoadMeter(long wall, double busy, double own) {
      this.wall = wall;
      this.busy = busy;
      this.own = own;
    }

    /** Starts measuring now. */
    public static LoadMeter start() {
      return new LoadMeter(System.nanoTime(), systemBusySeconds(), ownCpuSeconds());
    }

    /** CPUs this process used since start (its CPU time over the wall time). */
    public double ownCpus() {
      return (ownCpuSeconds() - own) / ((System.nanoTime() - wall) / 1e9);
    }

    /** Other processes' CPUs since start (NaN where /proc/stat cannot be read). */
    public double foreignCpus() {
      double secs = (System.nanoTime() - wall) / 1e9;
      double b = systemBusySeconds() - busy;
      double o = ownCpuSeconds() - own;
      return Math.max(0, b - o) / secs;
    }

    /** Waits (at most {@code maxSeconds}) for three quiet one-second windows in a row. */
    public static void waitQuiet(double maxForeign, double maxSeconds) {
      long end = System.nanoTime() + (long) (maxSeconds * 1e9);
      int quiet = 0;
      while (quiet < 3 && System.nanoTime() < end) {
        LoadMeter m = start();
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        quiet = m.foreignCpus() < maxForeign ? quiet + 1 : 0;
      }
    }

    private static double systemBusySeconds() {
      try {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = line.trim().split("\\s+", -1);
        // cpu user nice system idle iowait irq softirq steal …; busy = user+nice+system+irq+softirq
        long jiffies =
            Long.parseLong(f[1])
                + Long.parseLong(f[2])
                + Long.parseLong(f[3])
                + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
        return jiffies / 100.0;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    private static double ownCpuSeconds() {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getProcessCpuTime() / 1e9;
      }
      return Double.NaN;
    }
  }
}
