package io.sparksweep.cli;

import io.sparksweep.spark.Sessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark-level inputs of a command, checked before any Spark session or context exists: the
 * master URL (its form, its thread or worker counts, the classes and environment it needs, and for
 * {@code spark://} whether the master accepts a TCP connection within a few seconds), every {@code
 * spark.*} value Spark would reject (sizes, durations, numbers, booleans, ranges — by Spark's own
 * converters, without a context), the defaults file, and the file system of a warehouse or runs
 * URI. Each problem is one {@link IllegalArgumentException} that names the option (or file) and
 * key, the bad value and what is allowed.
 */
final class SparkInputs {
  /** How long one {@code spark://} master address may take to accept a TCP connection. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** All the {@code spark://} probes together stay under this, so the user hears within 15 s. */
  static final Duration PROBE_BUDGET = Duration.ofSeconds(10);

  private static final Pattern LOCAL_N = Pattern.compile("local\\[\\s*([0-9]+|\\*)\\s*]");
  private static final Pattern LOCAL_N_FAILURES =
      Pattern.compile("local\\[\\s*([0-9]+|\\*)\\s*,\\s*([0-9]+)\\s*]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");
  private static final Pattern HAS_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):.*");
  private static final Pattern SPARK_MESSAGE =
      Pattern.compile("^\\[[A-Z_.]+]\\s*(.*?)\\s*(SQLSTATE: \\w+)?$", Pattern.DOTALL);
  private static final Pattern TYPE_MISMATCH = Pattern.compile("It should be a/an '([^']+)' value");

  /** Which jar brings the Hadoop file system of a URI scheme. */
  static final Map<String, String> FILE_SYSTEM_JARS =
      Map.of(
          "s3a", "org.apache.hadoop:hadoop-aws (with its AWS SDK bundle)",
          "s3", "org.apache.hadoop:hadoop-aws (as s3a://; with its AWS SDK bundle)",
          "s3n", "org.apache.hadoop:hadoop-aws (as s3a://; with its AWS SDK bundle)",
          "gs", "com.google.cloud.bigdataoss:gcs-connector",
          "abfs", "org.apache.hadoop:hadoop-azure",
          "abfss", "org.apache.hadoop:hadoop-azure",
          "wasb", "org.apache.hadoop:hadoop-azure",
          "wasbs", "org.apache.hadoop:hadoop-azure",
          "oss", "org.apache.hadoop:hadoop-aliyun",
          "cosn", "org.apache.hadoop:hadoop-cos");

  /** Spark's objects that declare its settings; loading them declares no session. */
  private static final List<String> CONFIG_HOLDERS =
      List.of(
          "org.apache.spark.internal.config.package$",
          "org.apache.spark.internal.config.Network$",
          "org.apache.spark.internal.config.UI$",
          "org.apache.spark.internal.config.Kryo$",
          "org.apache.spark.internal.config.Deploy$",
          "org.apache.spark.internal.config.Worker$",
          "org.apache.spark.internal.config.Status$",
          "org.apache.spark.internal.config.History$",
          "org.apache.spark.internal.config.Python$",
          "org.apache.spark.sql.internal.SQLConf$",
          "org.apache.spark.sql.internal.StaticSQLConf$");

  private SparkInputs() {}

  /** One setting and where it came from ({@code --conf}, the defaults file, a system property). */
  record Setting(String source, String key, String value) {
    /** How the message names it: {@code --conf spark.x=v}, {@code FILE: spark.x v}. */
    String named() {
      return source.equals("--conf") || source.startsWith("-D")
          ? source + (source.equals("--conf") ? " " : "") + key + "=" + value
          : source + ": " + key + " " + value;
    }
  }

  /**
   * The settings a session would get, in the order {@link Sessions.Builder#sparkConf()} applies
   * them (later ones win): the defaults file, {@code spark.*} system properties, {@code --conf},
   * {@code --master}.
   *
   * @param defaultsFile the {@code --spark-defaults} file, or null; checked to exist and be read
   * @param conf the {@code --conf} settings
   * @param master {@code --master}, or null
   * @return every setting with its source, the last of each key winning
   */
  static Map<String, Setting> resolve(Path defaultsFile, Map<String, String> conf, String master) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    if (defaultsFile != null) {
      for (Map.Entry<String, String> e : readDefaults(defaultsFile).entrySet()) {
        settings.put(
            e.getKey(), new Setting("--spark-defaults " + defaultsFile, e.getKey(), e.getValue()));
      }
    }
    Properties system = System.getProperties();
    for (String key : system.stringPropertyNames()) {
      if (key.startsWith("spark.")) {
        settings.put(key, new Setting("-D", key, system.getProperty(key)));
      }
    }
    conf.forEach((k, v) -> settings.put(k, new Setting("--conf", k, v)));
    if (master != null) {
      settings.put("spark.master", new Setting("--master", "spark.master", master));
    }
    return settings;
  }

  /**
   * Checks every Spark-level input before a session: the defaults file, each setting's value, the
   * master (probing a {@code spark://} one), and the file system of each URI.
   *
   * @param defaultsFile {@code --spark-defaults}, or null
   * @param conf {@code --conf}
   * @param master {@code --master}, or null
   * @param uris option → folder or URI (e.g. {@code --warehouse} → {@code s3a://b/w})
   * @throws IllegalArgumentException on the first problem, in one line
   */
  static void check(
      Path defaultsFile, Map<String, String> conf, String master, Map<String, String> uris) {
    Map<String, Setting> settings = resolve(defaultsFile, conf, master);
    for (Setting s : settings.values()) {
      if (s.source().equals("--conf") && !s.key().startsWith("spark.")) {
        throw new IllegalArgumentException(
            s.named()
                + ": not a Spark setting (Spark ignores it); allowed: spark.* keys, and"
                + " spark.hadoop.* for Hadoop's");
      }
      if (!s.key().equals("spark.master")) {
        checkValue(s);
      }
    }
    Setting m = settings.get("spark.master");
    if (m != null) {
      String named = m.source().equals("--master") ? "--master " + m.value() : m.named();
      checkMaster(named, m.value());
      probeStandalone(named, m.value(), CONNECT_TIMEOUT, PROBE_BUDGET);
    }
    uris.forEach(SparkInputs::checkFileSystem);
  }

  /** The defaults file's settings; a missing, unreadable or folder file is refused in one line. */
  static Map<String, String> readDefaults(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "--spark-defaults "
              + file
              + ": no such file; allowed: a spark-defaults.conf-style file (key value lines),"
              + " e.g. conf/spark-defaults.conf");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--spark-defaults " + file + ": not a file; allowed: a spark-defaults.conf-style file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("--spark-defaults " + file + ": cannot be read");
    }
    return Sessions.readDefaults(file);
  }

  /**
   * Checks a master URL's form: {@code local}, {@code local[N]}, {@code local[*]}, {@code
   * local[N,F]}, {@code local-cluster[N,CORES,MB]}, {@code spark://HOST:PORT[,HOST:PORT…]}, {@code
   * yarn}, {@code k8s://[https://]HOST[:PORT]}; counts are at least 1; yarn and k8s also need their
   * Spark module on the classpath (and yarn its configuration folder).
   *
   * @param named how the message names it ({@code --master X})
   * @param master the URL
   */
  static void checkMaster(String named, String master) {
    String allowed =
        "; allowed: local, local[N], local[*], local-cluster[N,CORES,MB], spark://HOST:PORT,"
            + " yarn, k8s://HOST:PORT";
    if (master.equals("local")) {
      return;
    }
    Matcher n = LOCAL_N.matcher(master);
    Matcher nf = LOCAL_N_FAILURES.matcher(master);
    if (n.matches() || nf.matches()) {
      String threads = n.matches() ? n.group(1) : nf.group(1);
      if (!threads.equals("*") && !atLeastOne(threads)) {
        throw new IllegalArgumentException(
            named + ": " + threads + " threads; allowed: local[N] with N ≥ 1, or local[*]");
      }
      if (nf.matches() && !atLeastOne(nf.group(2))) {
        throw new IllegalArgumentException(
            named + ": " + nf.group(2) + " task attempts; allowed: local[N,F] with F ≥ 1");
      }
      return;
    }
    Matcher c = LOCAL_CLUSTER.matcher(master);
    if (c.matches()) {
      String[] what = {"workers", "cores per worker", "MB per worker"};
      for (int i = 0; i < 3; i++) {
        if (!atLeastOne(c.group(i + 1))) {
          throw new IllegalArgumentException(
              named + ": " + c.group(i + 1) + " " + what[i] + "; allowed: 1 or more");
        }
      }
      return;
    }
    if (master.startsWith("spark://")) {
      standaloneAddresses(named, master);
      return;
    }
    if (master.equals("yarn")) {
      requireClass(
          named,
          "org.apache.spark.deploy.yarn.YarnClusterManager",
          "org.apache.spark:spark-yarn_2.13");
      if (System.getenv("HADOOP_CONF_DIR") == null && System.getenv("YARN_CONF_DIR") == null) {
        throw new IllegalArgumentException(
            named + ": set HADOOP_CONF_DIR or YARN_CONF_DIR to the cluster's configuration folder");
      }
      return;
    }
    if (master.startsWith("k8s://")) {
      String rest = master.substring("k8s://".length());
      String url = rest.contains("://") ? rest : "https://" + rest;
      URI uri;
      try {
        uri = new URI(url);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(named + ": not a Kubernetes API address" + allowed);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(named + ": no API server host" + allowed);
      }
      requireClass(
          named,
          "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager",
          "org.apache.spark:spark-kubernetes_2.13");
      return;
    }
    throw new IllegalArgumentException(named + ": not a Spark master URL" + allowed);
  }

  private static boolean atLeastOne(String digits) {
    try {
      return Long.parseLong(digits) >= 1;
    } catch (NumberFormatException e) { // more digits than a long
      return true;
    }
  }

  private static void requireClass(String named, String className, String artifact) {
    try {
      Class.forName(className, false, SparkInputs.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          named + ": this master needs " + artifact + " on the classpath, which is not there");
    }
  }

  /** The host:port pairs of a {@code spark://} URL (several for a standby master setup). */
  static List<InetSocketAddress> standaloneAddresses(String named, String master) {
    String rest = master.substring("spark://".length());
    List<InetSocketAddress> out = new ArrayList<>();
    for (String hostPort : rest.split(",", -1)) {
      URI uri;
      try {
        uri = new URI("spark://" + hostPort);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || uri.getPort() < 1
          || uri.getPort() > 65535
          || (uri.getPath() != null && !uri.getPath().isEmpty())) {
        throw new IllegalArgumentException(
            named
                + ": '"
                + hostPort
                + "' is not HOST:PORT; allowed: spark://HOST:PORT (e.g. spark://127.0.0.1:7077),"
                + " or several HOST:PORT separated by commas");
      }
      out.add(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
    }
    return out;
  }

  /**
   * For a {@code spark://} master, checks that at least one of its addresses accepts a TCP
   * connection, each within {@code timeout} and all within {@code budget}; any other master is left
   * alone.
   */
  static void probeStandalone(String named, String master, Duration timeout, Duration budget) {
    if (!master.startsWith("spark://")) {
      return;
    }
    long deadline = System.nanoTime() + budget.toNanos();
    List<String> problems = new ArrayList<>();
    for (InetSocketAddress a : standaloneAddresses(named, master)) {
      long left = Math.min(timeout.toMillis(), (deadline - System.nanoTime()) / 1_000_000);
      if (left <= 0) {
        problems.add(a.getHostString() + ":" + a.getPort() + " not tried (out of time)");
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(a.getHostString(), a.getPort()), (int) left);
        return;
      } catch (UnknownHostException e) {
        problems.add("unknown host " + a.getHostString());
      } catch (java.net.SocketTimeoutException e) {
        problems.add(
            a.getHostString() + ":" + a.getPort() + " did not answer within " + left / 1000 + " s");
      } catch (IOException e) {
        problems.add(
            a.getHostString()
                + ":"
                + a.getPort()
                + " refused the connection ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + ")");
      }
    }
    throw new IllegalArgumentException(
        named
            + ": no Spark master reachable: "
            + String.join("; ", problems)
            + "; start one (jobs/standalone-cluster.sh) or pick another --master");
  }

  /**
   * Checks one setting's value with Spark's own converter for its key (sizes, durations, numbers,
   * booleans, ranges); keys Spark does not declare are left alone.
   */
  static void checkValue(Setting s) {
    org.apache.spark.internal.config.ConfigEntry<?> entry = entry(s.key());
    if (entry == null) {
      return;
    }
    try {
      entry.valueConverter().apply(s.value());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(s.named() + ": " + explain(e.getMessage()), e);
    }
  }

  private static org.apache.spark.internal.config.ConfigEntry<?> entry(String key) {
    for (String holder : CONFIG_HOLDERS) {
      try {
        Class.forName(holder, true, SparkInputs.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // that module is not on the classpath: its keys stay unchecked
      }
    }
    return org.apache.spark.internal.config.ConfigEntry$.MODULE$.findEntry(key);
  }

  /** Spark's rejection, without its error class, SQLSTATE or line breaks. */
  static String explain(String sparkMessage) {
    String m = sparkMessage == null ? "rejected by Spark" : sparkMessage;
    Matcher stripped = SPARK_MESSAGE.matcher(m.strip());
    if (stripped.matches()) {
      m = stripped.group(1);
    }
    Matcher type = TYPE_MISMATCH.matcher(m);
    if (type.find()) {
      String t = type.group(1).toLowerCase(Locale.ROOT);
      if (t.startsWith("bytes")) {
        return "not a size; allowed: a whole number with a unit b, k, m, g or t (e.g. 512m, 4g)";
      }
      if (t.startsWith("time")) {
        return "not a duration; allowed: a whole number with a unit ms, s, m, min, h or d"
            + " (e.g. 120s)";
      }
      if (t.equals("boolean")) {
        return "not a boolean; allowed: true or false";
      }
      if (t.equals("int") || t.equals("long")) {
        return "not a whole number; allowed: an integer (e.g. 4)";
      }
      if (t.equals("double")) {
        return "not a number; allowed: a decimal number (e.g. 0.6)";
      }
      return "not a valid " + t;
    }
    return m.replaceAll("\\s+", " ");
  }

  /**
   * Checks that a folder or URI has a Hadoop file system on the classpath (a path without a scheme
   * is local and always has one).
   *
   * @param option what it is ({@code --warehouse})
   * @param folder the folder or URI
   */
  static void checkFileSystem(String option, String folder) {
    if (folder == null) {
      return;
    }
    Matcher m = HAS_SCHEME.matcher(folder);
    if (!m.matches() || folder.matches("^[A-Za-z]:\\\\.*")) {
      return;
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return;
    }
    String why;
    try {
      org.apache.hadoop.fs.FileSystem.getFileSystemClass(
          scheme, new org.apache.hadoop.conf.Configuration());
      return;
    } catch (IOException e) { // UnsupportedFileSystemException: no fs.<scheme>.impl, no service
      why = "no file system for scheme '" + scheme + "' on the classpath";
    } catch (RuntimeException | LinkageError e) { // fs.<scheme>.impl names a missing class
      why =
          "the file system for '" + scheme + "' is declared but its class is not on the classpath";
    }
    String jar = FILE_SYSTEM_JARS.get(scheme);
    throw new IllegalArgumentException(
        option
            + " "
            + folder
            + ": "
            + why
            + (jar != null
                ? "; " + jar + " brings it (add it to the classpath or spark.jars.packages)"
                : "; allowed: a local folder, file:, hdfs:// or a scheme whose Hadoop jar is on"
                    + " the classpath"));
  }

  /**
   * Checks that a local folder a command reads (or creates) is not a file: the path, or the nearest
   * part of it that exists, must be a folder. URIs of other file systems are left alone.
   */
  static void checkNotAFile(String option, String folder, String what) {
    if (folder == null) {
      return;
    }
    Path dir = Sessions.localFolder(folder);
    if (dir == null) {
      return;
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          option
              + " "
              + folder
              + ": "
              + (existing.equals(dir) ? "is a file" : existing + " is a file")
              + "; allowed: "
              + what);
    }
  }
}
