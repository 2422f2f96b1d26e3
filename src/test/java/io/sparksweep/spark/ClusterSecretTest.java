package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster secret's file (fresh, random, owner-only) and how a driver picks it up. */
class ClusterSecretTest {
  @TempDir Path tmp;

  @Test
  void generatesA256BitSecretOnlyItsOwnerCanRead() throws Exception {
    Path file = ClusterSecret.generate(tmp.resolve("secret").resolve("auth-secret"));
    String secret = ClusterSecret.read(file);
    assertTrue(
        secret.matches("[0-9a-f]{64}"), "64 hex digits = 256 bits: length " + secret.length());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    ClusterSecret.generate(file);
    assertNotEquals(secret, ClusterSecret.read(file), "each start makes a new secret");
    try (var leftovers = Files.list(file.getParent())) {
      assertEquals(1, leftovers.count(), "no temporary file is left");
    }
  }

  @Test
  void refusesAFileOthersCanReadWithoutShowingTheSecret() throws Exception {
    Path file = ClusterSecret.generate(tmp.resolve("s").resolve("auth-secret"));
    String secret = ClusterSecret.read(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), "the message shows no secret");

    Path missing = tmp.resolve("none");
    IllegalArgumentException m =
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.read(missing));
    assertTrue(m.getMessage().contains("jobs/standalone-cluster.sh"), m.getMessage());
  }

  @Test
  void aStandaloneDriverGetsTheSecretOtherMastersDoNot() {
    Path file = ClusterSecret.generate(tmp.resolve("d").resolve("auth-secret"));
    String secret = ClusterSecret.read(file);

    SparkConf standalone = new SparkConf(false).setMaster("spark://127.0.0.1:7077");
    ClusterSecret.apply(standalone, file);
    assertEquals(secret, standalone.get(ClusterSecret.SECRET));
    assertEquals("true", standalone.get(ClusterSecret.AUTHENTICATE));

    for (String master : new String[] {"local[2]", "yarn", "k8s://https://k:6443"}) {
      SparkConf other = new SparkConf(false).setMaster(master).set("spark.authenticate", "true");
      ClusterSecret.apply(other, file);
      assertFalse(other.contains(ClusterSecret.SECRET), master + " makes its own secret");
    }

    SparkConf off =
        new SparkConf(false).setMaster("spark://h:7077").set(ClusterSecret.AUTHENTICATE, "false");
    ClusterSecret.apply(off, file);
    assertFalse(
        off.contains(ClusterSecret.SECRET), "authentication turned off explicitly stays off");

    SparkConf own =
        new SparkConf(false).setMaster("spark://h:7077").set(ClusterSecret.SECRET, "theirs");
    ClusterSecret.apply(own, file);
    assertEquals("theirs", own.get(ClusterSecret.SECRET), "a secret already set wins");
  }

  @Test
  void aStandaloneMasterWithAuthenticationButNoSecretIsOneClearMessage() {
    SparkConf conf =
        new SparkConf(false).setMaster("spark://h:7077").set(ClusterSecret.AUTHENTICATE, "true");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.apply(conf, null));
    assertTrue(e.getMessage().startsWith("--master spark://h:7077: "), e.getMessage());
    assertTrue(e.getMessage().contains("--secret-file"), e.getMessage());
    assertTrue(e.getMessage().contains("spark.authenticate=false"), e.getMessage());

    SparkConf viaSessions =
        Sessions.builder()
            .master("spark://h:7077")
            .defaultsFile(StandaloneCluster.DEFAULTS)
            .autoAppJar(false)
            .secretFile(ClusterSecret.generate(tmp.resolve("b").resolve("auth-secret")))
            .sparkConf();
    assertTrue(viaSessions.contains(ClusterSecret.SECRET), "Sessions applies the secret file");
    assertEquals("true", viaSessions.get("spark.network.crypto.enabled"), "RPC is encrypted");
  }
}
