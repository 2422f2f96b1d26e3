package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Synthetic data and trial specs for the Spark tests. */
public final class TestTrials {
  private TestTrials() {}

  /** Random CIFAR-shaped bytes: {@code numTrain} + {@code numTest} images, labels 0–9. */
  public static Cifar10Data randomData(int numTrain, int numTest, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] trainImages = new byte[numTrain * Cifar10Data.IMAGE_BYTES];
    byte[] testImages = new byte[numTest * Cifar10Data.IMAGE_BYTES];
    byte[] trainLabels = new byte[numTrain];
    byte[] testLabels = new byte[numTest];
    fill(rng, trainImages);
    fill(rng, testImages);
    for (int i = 0; i < numTrain; i++) {
      trainLabels[i] = (byte) rng.nextInt(10);
    }
    for (int i = 0; i < numTest; i++) {
      testLabels[i] = (byte) rng.nextInt(10);
    }
    return new Cifar10Data(trainImages, trainLabels, testImages, testLabels);
  }

  private static void fill(SplittableRandom rng, byte[] b) {
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) rng.nextInt(256);
    }
  }

  /** A spec whose fake outcome is decided by {@code learningRate} (see {@link FakeTrials}). */
  public static TrialSpec spec(int index, ModelKind model, double learningRate, double reg) {
    return spec(index, model, 32, learningRate, reg);
  }

  /** A spec that {@link FakeTrials} throws on (the job must turn it into a FAILED row). */
  public static TrialSpec exploding(int index, double learningRate, double reg) {
    return spec(index, ModelKind.FC, FakeTrials.EXPLODE_FILTERS, learningRate, reg);
  }

  private static TrialSpec spec(
      int index, ModelKind model, int numFilters, double learningRate, double reg) {
    return new TrialSpec(
        String.format(Locale.ROOT, "k%07x", 0x51ed + 7919 * index),
        index,
        0,
        1000L + index,
        model,
        List.of(100, 50),
        numFilters,
        7,
        UpdateRule.ADAM,
        learningRate,
        1e-2,
        0.5,
        Normalization.BATCHNORM,
        reg,
        50,
        3,
        0.95,
        400);
  }

  /** {@code n} OK trials with learning rates spread around 1e-3 and no reg. */
  public static List<TrialSpec> okTrials(int n) {
    List<TrialSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(spec(i, ModelKind.FC, Math.pow(10, -5 + 0.5 * i), 0.0));
    }
    return specs;
  }
}
