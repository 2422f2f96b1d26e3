package io.sparksweep.spark;

import java.util.Map;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv;

/**
 * A bare Spark RPC client, as anyone who can reach a master's port can run: it connects to the
 * master's RPC endpoint with the given settings and asks it to answer (Spark's endpoint lookup, the
 * first message of every driver and worker). A master that admits only its own processes refuses
 * one without the cluster's secret.
 */
public final class RpcProbe {
  private RpcProbe() {}

  /**
   * Looks up the {@code Master} endpoint of {@code masterUrl} with {@code settings} ({@code
   * spark.authenticate…}, {@code spark.network.crypto…}; empty for an unauthenticated client).
   *
   * @return null if the master answered, else why not
   */
  public static Throwable lookUpMaster(String masterUrl, Map<String, String> settings) {
    SparkConf conf =
        new SparkConf(false)
            .set("spark.rpc.lookupTimeout", "60s")
            .set("spark.rpc.askTimeout", "60s")
            .set("spark.rpc.io.numConnectionsPerPeer", "1");
    settings.forEach(conf::set);
    SecurityManager security =
        new SecurityManager(
            conf,
            SecurityManager.$lessinit$greater$default$2(),
            SecurityManager.$lessinit$greater$default$3());
    RpcEnv env = RpcEnv.create("probe", "127.0.0.1", 0, conf, security, true);
    try {
      env.setupEndpointRef(RpcAddress.fromSparkURL(masterUrl), "Master");
      return null;
    } catch (Exception e) { // SparkException (checked, thrown undeclared by Scala) and the like
      return e;
    } finally {
      env.shutdown();
      env.awaitTermination();
    }
  }
}
