package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.reliability.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run lease ({@link Lease}) on the local file system and on a real (in-process) HDFS, contended
 * from a second JVM: a live holder in another JVM keeps every other driver off, even past its ttl
 * (it renews); once it is killed with SIGKILL its lease expires and this JVM takes the run; of
 * several drivers racing for an expired lease (two JVMs, or eight threads) exactly one wins; a
 * released lease is free at once; a holder that was taken over learns it and stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LeaseTest {
  // Long enough for a renewal every ttl/3 on a machine under heavy load.
  private static final Duration TTL = Duration.ofSeconds(10);

  private Path tmp;
  private MiniDfs dfs;
  private int next;

  @BeforeAll
  void startHdfs(@TempDir Path dir) {
    tmp = dir;
    dfs = MiniDfs.start(tmp.resolve("dfs"));
  }

  @AfterAll
  void stopHdfs() {
    dfs.close();
  }

  private String runs(String fsName) {
    next++;
    return fsName.equals("hdfs")
        ? dfs.uri("/lease-test-" + next + "/runs")
        : tmp.resolve("local-" + next).resolve("runs").toUri().toString();
  }

  private static RunStore store(String runs) {
    return RunStore.open(new Configuration(), runs);
  }

  private ChildJvm child(String name, String mode, String runs) throws Exception {
    return ChildJvm.start(
        tmp,
        name + "-" + next,
        LeaseHolderMain.class,
        List.of(),
        List.of(mode, runs, "r1", Long.toString(TTL.toMillis())));
  }

  private static String awaitLine(ChildJvm jvm) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String out = jvm.stdout().trim();
      if (!out.isEmpty()) {
        return out;
      }
      assertTrue(jvm.process.isAlive() || !jvm.stdout().isBlank(), "child died: " + jvm.stderr());
      Thread.sleep(50);
    }
    throw new AssertionError("no answer from " + jvm + ": " + jvm.stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "hdfs"})
  void aLeaseHeldInAnotherJvmKeepsThisOneOffUntilItsHolderIsKilledAndItExpires(String fsName)
      throws Exception {
    String runs = runs(fsName);
    RunStore store = store(runs);
    ChildJvm holder = child("holder", "hold", runs);
    try {
      String held = awaitLine(holder);
      assertTrue(held.startsWith("HELD "), held);
      assertTrue(held.contains("pid=" + holder.process.pid()), held);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.lease("r1", TTL));
      assertTrue(e.getMessage().contains("is being run by another search"), e.getMessage());
      assertTrue(e.getMessage().contains("pid=" + holder.process.pid()), e.getMessage());
      // Longer than the ttl: the holder renews, so it still holds the run.
      Thread.sleep(TTL.toMillis() + 1500);
      assertTrue(holder.process.isAlive(), holder.stderr());
      assertThrows(
          IllegalArgumentException.class,
          () -> store.lease("r1", TTL),
          "the holder renews its lease: " + holder.stderr());
    } finally {
      holder.process.destroyForcibly(); // SIGKILL: no release, the renewals just stop
      holder.process.waitFor();
    }
    Lease taken = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int refusals = 0;
    while (taken == null && System.nanoTime() < deadline) {
      try {
        taken = store.lease("r1", TTL);
      } catch (IllegalArgumentException refused) {
        refusals++;
        Thread.sleep(200);
      }
    }
    assertNotNull(taken, "the dead holder's lease never expired");
    assertTrue(refusals > 0, "the lease of a holder killed an instant ago is still valid");
    try {
      Lease.Current c = Lease.current(store.fileSystem(), store.runDir("r1"));
      assertEquals(1, c.generation(), "taken over as the next generation");
      assertTrue(c.holder().contains("pid=" + ProcessHandle.current().pid()), c.holder());
    } finally {
      taken.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "hdfs"})
  void ofTwoJvmsRacingForAnExpiredLeaseExactlyOneWins(String fsName) throws Exception {
    String runs = runs(fsName);
    RunStore store = store(runs);
    Lease.acquire(store.fileSystem(), store.runDir("r1"), "r1", Duration.ofMillis(1), false);
    Thread.sleep(20); // now expired, never released: like a driver that died long ago
    ChildJvm a = child("racer-a", "try", runs);
    ChildJvm b = child("racer-b", "try", runs);
    try {
      List<String> answers = List.of(awaitLine(a), awaitLine(b));
      assertEquals(
          1, answers.stream().filter(s -> s.equals("ACQUIRED")).count(), answers.toString());
      assertEquals(
          1, answers.stream().filter(s -> s.startsWith("REFUSED ")).count(), answers.toString());
      assertThrows(IllegalArgumentException.class, () -> store.lease("r1", TTL));
    } finally {
      for (ChildJvm c : List.of(a, b)) {
        c.process.destroyForcibly();
        c.process.waitFor();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "hdfs"})
  void ofEightThreadsRacingForAFreeRunExactlyOneWins(String fsName) throws Exception {
    RunStore store = store(runs(fsName));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Lease>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(
            () -> {
              try {
                return Lease.acquire(store.fileSystem(), store.runDir("r1"), "r1", TTL, false);
              } catch (IllegalArgumentException refused) {
                return null;
              }
            });
      }
      List<Lease> won = new ArrayList<>();
      for (Future<Lease> f : pool.invokeAll(racers)) {
        if (f.get() != null) {
          won.add(f.get());
        }
      }
      assertEquals(1, won.size(), "winners");
      won.get(0).close();
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "hdfs"})
  void aReleasedLeaseIsFreeAtOnceAndATakenOverHolderStops(String fsName) throws Exception {
    RunStore store = store(runs(fsName));
    Lease first = store.lease("r1", TTL);
    assertThrows(IllegalArgumentException.class, () -> store.lease("r1", TTL));
    first.close();
    Lease second = store.lease("r1", TTL); // no waiting for the ttl
    second.check();
    second.close();

    Lease stalled =
        Lease.acquire(store.fileSystem(), store.runDir("r1"), "r1", Duration.ofMillis(1), false);
    Thread.sleep(20); // its holder stalled past the ttl without renewing
    Lease newer = store.lease("r1", TTL);
    IllegalStateException lost = assertThrows(IllegalStateException.class, stalled::renew);
    assertTrue(lost.getMessage().contains("was taken over by"), lost.getMessage());
    assertThrows(IllegalStateException.class, stalled::check);
    newer.check();
    newer.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "hdfs"})
  void aNewRunIsClaimedOnceAndANameTwiceIsRefused(String fsName) {
    RunStore store = store(runs(fsName));
    Lease claim = store.claim("r1", TTL);
    assertNotNull(claim);
    claim.close();
    assertEquals(null, store.claim("r1", TTL), "a used run id");
  }
}
