package io.sparksweep.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparksweep.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code docker/compose.yaml} read as Docker Compose reads it (YAML, {@code <<} merge keys, {@code
 * ${VAR:-default}} interpolation from the environment): by default every published port listens on
 * the host's loopback address only, {@code SPARKSWEEP_BIND} is the one switch that opens them, and
 * the cluster's secret is made at start and read from a file, never written in the file.
 */
class ComposeFileTest {
  private static final Path COMPOSE = ProjectFiles.path("docker/compose.yaml");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}|\\$([A-Za-z_]\\w*)");
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{32,}");
  private static final Pattern BASE64_KEY = Pattern.compile("[A-Za-z0-9+]{40,}");

  private String text;

  @BeforeEach
  void read() throws IOException {
    text = Files.readString(COMPOSE);
  }

  @Test
  void everyPublishedPortBindsToLoopbackByDefault() {
    Map<String, Map<String, Object>> services = services(Map.of());
    int published = 0;
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      for (String hostIp : hostIps(s.getKey(), s.getValue())) {
        assertEquals("127.0.0.1", hostIp, s.getKey() + " publishes a port on " + hostIp);
        published++;
      }
    }
    assertTrue(published >= 3, "master RPC, master UI and driver UI are published: " + published);
  }

  @Test
  void sparksweepBindIsTheSwitchThatOpensThem() {
    Map<String, Map<String, Object>> services = services(Map.of("SPARKSWEEP_BIND", "0.0.0.0"));
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      for (String hostIp : hostIps(s.getKey(), s.getValue())) {
        assertEquals("0.0.0.0", hostIp, s.getKey());
      }
    }
    assertTrue(text.contains("SPARKSWEEP_BIND=0.0.0.0"), "the switch is documented in the file");
  }

  @Test
  void theSecretIsMadeAtStartAndNeverInline() {
    Map<String, Map<String, Object>> services = services(Map.of());
    List<String> strings = new ArrayList<>();
    collectStrings(new Load(LoadSettings.builder().build()).loadFromString(text), strings);
    for (String s : strings) {
      assertFalse(HEX_KEY.matcher(s).find(), "a hex key in the compose file: " + s);
      Matcher b64 = BASE64_KEY.matcher(s);
      while (b64.find()) {
        String t = b64.group();
        assertFalse(
            t.matches(".*[0-9].*") && t.matches(".*[a-z].*") && t.matches(".*[A-Z].*"),
            "a base64 key in the compose file: " + t);
      }
      assertFalse(s.contains("spark.authenticate.secret"), "a Spark secret setting: " + s);
    }
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      for (Map.Entry<String, String> e : environment(s.getValue()).entrySet()) {
        if (e.getKey().matches("(?i).*(secret|password|token|key).*")) {
          assertTrue(
              e.getValue().startsWith("/"),
              s.getKey() + ": " + e.getKey() + " must name a file, not hold a value");
        }
      }
      for (String part : command(s.getValue())) {
        int at = part.indexOf("_SPARK_AUTH_SECRET=");
        if (at >= 0) {
          assertTrue(
              part.startsWith("_SPARK_AUTH_SECRET=\"$(cat /secret/", at),
              s.getKey() + ": the secret is read from its file: " + part);
        }
      }
    }
    Object topLevelSecrets = root().get("secrets");
    assertTrue(topLevelSecrets == null, "no compose secrets: " + topLevelSecrets);

    String init = String.join(" ", command(services.get("secret-init")));
    assertTrue(init.contains("/dev/urandom") && init.contains("head -c 32"), "256 random bits");
    assertTrue(init.contains("umask 077") && init.contains("chmod 600"), "owner-only: " + init);
    for (String name : List.of("spark-master", "spark-worker-1", "spark-worker-2")) {
      Map<String, Object> service = services.get(name);
      assertTrue(
          String.join(" ", command(service)).contains("_SPARK_AUTH_SECRET=\"$(cat /secret/"),
          name + " runs with the secret");
      assertTrue(volumes(service).contains("secret:/secret:ro"), name + " mounts it read-only");
    }
    assertEquals(
        "/secret/auth-secret", environment(services.get("submit")).get("SPARKSWEEP_SECRET_FILE"));
    assertTrue(
        environment(services.get("spark-master"))
            .getOrDefault("SPARK_MASTER_OPTS", "")
            .contains("-Dspark.master.rest.enabled=false"),
        "the master's REST submission server is off");
  }

  @Test
  void theImageTurnsAuthenticationAndEncryptionOn() throws IOException {
    String dockerfile = Files.readString(ProjectFiles.path("docker/Dockerfile"));
    assertTrue(
        dockerfile.contains("COPY conf/spark-defaults.conf /opt/spark/conf/spark-defaults.conf"));
    Map<String, String> defaults =
        io.sparksweep.spark.Sessions.readDefaults(ProjectFiles.path("conf/spark-defaults.conf"));
    assertEquals("true", defaults.get("spark.authenticate"));
    assertEquals("true", defaults.get("spark.network.crypto.enabled"));
    assertEquals("false", defaults.get("spark.master.rest.enabled"));
    assertFalse(defaults.containsKey("spark.authenticate.secret"), "no secret in the defaults");
  }

  // ---- Compose's model: services with merge keys resolved, strings interpolated

  @SuppressWarnings("unchecked")
  private Map<String, Object> root() {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> services(Map<String, String> env) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    Map<String, Object> services = (Map<String, Object>) root().get("services");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      out.put(
          e.getKey(),
          (Map<String, Object>) interpolate(merged((Map<String, Object>) e.getValue()), env));
    }
    return out;
  }

  /** A mapping with its {@code <<} merge key applied (its own keys win), recursively. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> merged(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    Object base = map.get("<<");
    if (base instanceof Map<?, ?> b) {
      out.putAll(merged((Map<String, Object>) b));
    } else if (base instanceof List<?> bases) {
      for (Object b : bases) {
        merged((Map<String, Object>) b).forEach(out::putIfAbsent);
      }
    }
    map.forEach(
        (k, v) -> {
          if (!k.equals("<<")) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Compose's interpolation: {@code $$}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code $VAR}. */
  private static Object interpolate(Object node, Map<String, String> env) {
    if (node instanceof String s) {
      Matcher m = VARIABLE.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value;
        if (m.group().equals("$$")) {
          value = "$";
        } else {
          String name = m.group(1) != null ? m.group(1) : m.group(4);
          String set = env.get(name);
          boolean colon = ":-".equals(m.group(2));
          if (m.group(2) != null && (set == null || (colon && set.isEmpty()))) {
            value = m.group(3);
          } else {
            value = set == null ? "" : set;
          }
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, interpolate(v, env)));
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(v -> interpolate(v, env)).toList();
    }
    return node;
  }

  /** The host address of each published port ({@code ports:} short or long syntax). */
  private static List<String> hostIps(String service, Map<String, Object> s) {
    List<String> ips = new ArrayList<>();
    if (!(s.get("ports") instanceof List<?> ports)) {
      return ips;
    }
    for (Object p : ports) {
      if (p instanceof Map<?, ?> longSyntax) {
        Object ip = longSyntax.get("host_ip");
        ips.add(ip == null ? "(all interfaces)" : ip.toString());
      } else {
        String[] parts = p.toString().split("/")[0].split(":");
        if (parts.length != 3) {
          fail(service + " publishes " + p + " without a host address: every interface");
        }
        ips.add(parts[0]);
      }
    }
    return ips;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> s) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = s.get("environment");
    if (e instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(k.toString(), String.valueOf(v)));
    } else if (e instanceof List<?> l) {
      for (Object item : l) {
        String[] kv = item.toString().split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  /** The service's entrypoint and command, as strings. */
  private static List<String> command(Map<String, Object> s) {
    List<String> parts = new ArrayList<>();
    for (String key : List.of("entrypoint", "command")) {
      Object v = s.get(key);
      if (v instanceof List<?> l) {
        l.forEach(x -> parts.add(x.toString()));
      } else if (v != null) {
        parts.add(v.toString());
      }
    }
    return parts;
  }

  private static List<String> volumes(Map<String, Object> s) {
    List<String> out = new ArrayList<>();
    if (s.get("volumes") instanceof List<?> l) {
      l.forEach(v -> out.add(v.toString()));
    }
    return out;
  }

  private static void collectStrings(Object node, List<String> out) {
    if (node instanceof String s) {
      out.add(s);
    } else if (node instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            collectStrings(k, out);
            collectStrings(v, out);
          });
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collectStrings(v, out));
    }
  }
}
