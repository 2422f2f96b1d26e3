package io.sparksweep.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.GridAxis;
import io.sparksweep.search.TrialSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * What a run is, written as {@code <runsDir>/<runId>/run.json} before its first trial starts, so
 * that {@link SearchJob#resume} can finish it after the driver died: the full expanded trial list
 * (keys and seeds included, so a grid file edited since does not matter), the warehouse, top-k and
 * a fingerprint of the data the trials ran on.
 *
 * <pre>{@code
 * {"format": 1, "run_id": "20260115-093012-a3f9", "created_at": "2026-01-15T08:30:12.345Z",
 *  "warehouse": "file:/…/warehouse", "top_k": 3,
 *  "data": {"num_train": 50000, "num_test": 10000, "crc32": "9f3c01aa"},
 *  "provenance": {"grid": "conf/grids/default.yaml", "data": "/…/cifar-10-batches-bin"},
 *  "trials": [{"key": "…", "index": 0, "repeat": 0, "seed": …, "model": "fc", …}, …]}
 * }</pre>
 *
 * @param runId the run's id
 * @param createdAt when the run started
 * @param warehouseUri where its rows go ({@link Sessions#warehouseUri})
 * @param topK how many models it keeps
 * @param data fingerprint of its data set
 * @param provenance free-form facts for people and the CLI (grid file, data path, …)
 * @param trials every trial of the run, in trial order
 */
public record RunManifest(
    String runId,
    Instant createdAt,
    String warehouseUri,
    int topK,
    DataFingerprint data,
    Map<String, String> provenance,
    List<TrialSpec> trials) {

  /** The manifest's file name inside the run folder. */
  public static final String FILE_NAME = "run.json";

  private static final int FORMAT = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the collections; requires every part. */
  public RunManifest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(warehouseUri, "warehouseUri");
    Objects.requireNonNull(data, "data");
    provenance = Map.copyOf(provenance);
    trials = List.copyOf(trials);
  }

  /**
   * Size and CRC-32 of a data set's bytes: enough to tell another data set (or a damaged copy) from
   * the one a run started with.
   *
   * @param numTrain training images
   * @param numTest test images
   * @param crc32 CRC-32 of training images, training labels, test images and test labels, in that
   *     order, as 8 hex digits
   */
  public record DataFingerprint(int numTrain, int numTest, String crc32) {
    /** The fingerprint of {@code data} (≈0.1 s for the full CIFAR-10). */
    public static DataFingerprint of(Cifar10Data data) {
      CRC32 crc = new CRC32();
      crc.update(data.trainImages());
      crc.update(data.trainLabels());
      crc.update(data.testImages());
      crc.update(data.testLabels());
      return new DataFingerprint(
          data.numTrain(), data.numTest(), String.format("%08x", crc.getValue()));
    }

    @Override
    public String toString() {
      return numTrain + " training and " + numTest + " test images, CRC-32 " + crc32;
    }
  }

  /** {@code <runsDir>/<runId>/run.json}. */
  public static Path file(Path runsDir, String runId) {
    return runsDir.resolve(runId).resolve(FILE_NAME);
  }

  /** Whether a run of that id was started in {@code runsDir}. */
  public static boolean exists(Path runsDir, String runId) {
    return Files.isRegularFile(file(runsDir, runId));
  }

  /**
   * Writes {@code <runDir>/run.json} atomically (temporary file, then rename).
   *
   * @param runDir the run's folder
   */
  public void write(Path runDir) {
    Path target = runDir.resolve(FILE_NAME);
    Path tmp = runDir.resolve("." + FILE_NAME + ".tmp");
    try {
      Files.createDirectories(runDir);
      Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run manifest " + target, e);
    }
  }

  /**
   * Reads the manifest of run {@code runId}.
   *
   * @param runsDir the runs folder the run was started with
   * @param runId the run's id
   * @return the manifest
   * @throws IllegalArgumentException if there is no such run or its manifest is damaged, naming the
   *     file, the field and what was expected
   */
  public static RunManifest read(Path runsDir, String runId) {
    Objects.requireNonNull(runsDir, "runsDir");
    Objects.requireNonNull(runId, "runId");
    Path file = file(runsDir, runId);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          file
              + ": no such file, so there is no run '"
              + runId
              + "' under "
              + runsDir
              + "; allowed: the id of a run started by 'sparksweep search' with this --runs-dir");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e + ")", e);
    }
    return parse(text, file.toString(), runId);
  }

  /**
   * Parses a manifest's text.
   *
   * @param text the JSON
   * @param file where it was read, for messages
   * @param runId the run it must describe
   * @throws IllegalArgumentException if it is damaged, naming the file, the field and what was
   *     expected
   */
  static RunManifest parse(String text, String file, String runId) {
    try {
      RunManifest m = fromJson(JSON.readTree(text), file);
      if (!m.runId().equals(runId)) {
        throw bad(file, "run_id", m.runId(), "'" + runId + "', the name of its folder");
      }
      return m;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + ": not valid JSON (" + e.getOriginalMessage() + "); the run cannot be resumed", e);
    }
  }

  String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("run_id", runId);
    root.put("created_at", createdAt.toString());
    root.put("warehouse", warehouseUri);
    root.put("top_k", topK);
    ObjectNode d = root.putObject("data");
    d.put("num_train", data.numTrain());
    d.put("num_test", data.numTest());
    d.put("crc32", data.crc32());
    ObjectNode p = root.putObject("provenance");
    new java.util.TreeMap<>(provenance).forEach(p::put);
    ArrayNode trialList = root.putArray("trials");
    for (TrialSpec t : trials) {
      ObjectNode o = trialList.addObject();
      o.put("key", t.key());
      o.put("index", t.index());
      o.put("repeat", t.repeat());
      o.put("seed", t.seed());
      for (GridAxis a : GridAxis.values()) {
        Object v = a.toColumn(a.get(t));
        switch (a.kind()) {
          case INT -> o.put(a.id(), (Integer) v);
          case REAL -> o.put(a.id(), (Double) v);
          case CHOICE -> o.put(a.id(), (String) v);
          case INT_LIST -> {
            ArrayNode list = o.putArray(a.id());
            ((List<?>) v).forEach(x -> list.add((Integer) x));
          }
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RunManifest fromJson(JsonNode root, String file) {
    if (!root.isObject()) {
      throw bad(file, "(file)", root.getNodeType().toString(), "a JSON object");
    }
    int format = integer(root, "format", file);
    if (format != FORMAT) {
      throw bad(file, "format", Integer.toString(format), Integer.toString(FORMAT));
    }
    String runId = text(root, "run_id", file);
    Instant created;
    try {
      created = Instant.parse(text(root, "created_at", file));
    } catch (DateTimeParseException e) {
      throw bad(file, "created_at", root.get("created_at").asText(), "an ISO-8601 instant");
    }
    JsonNode d = object(root, "data", file);
    DataFingerprint fingerprint =
        new DataFingerprint(
            integer(d, "num_train", file), integer(d, "num_test", file), text(d, "crc32", file));
    Map<String, String> provenance = new LinkedHashMap<>();
    JsonNode p = object(root, "provenance", file);
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      provenance.put(e.getKey(), e.getValue().asText());
    }
    JsonNode list = root.get("trials");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw bad(file, "trials", String.valueOf(list), "a non-empty list of trials");
    }
    List<TrialSpec> trials = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      trials.add(spec(list.get(i), file, "trials[" + i + "]."));
    }
    return new RunManifest(
        runId,
        created,
        text(root, "warehouse", file),
        integer(root, "top_k", file),
        fingerprint,
        provenance,
        trials);
  }

  private static TrialSpec spec(JsonNode o, String file, String at) {
    if (!o.isObject()) {
      throw bad(file, at, o.toString(), "a trial object");
    }
    Map<GridAxis, Object> values = new EnumMap<>(GridAxis.class);
    for (GridAxis a : GridAxis.values()) {
      Object v =
          switch (a.kind()) {
            case INT -> integer(o, a.id(), file);
            case REAL -> number(o, a.id(), file);
            case CHOICE -> text(o, a.id(), file);
            case INT_LIST -> intList(o, a.id(), file, at);
          };
      try {
        values.put(a, a.fromColumn(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + at + a.id() + ": " + e.getMessage(), e);
      }
    }
    TrialSpec s;
    try {
      s =
          TrialSpec.of(
              text(o, "key", file),
              integer(o, "index", file),
              integer(o, "repeat", file),
              number(o, "seed", file).longValue(),
              values);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IllegalArgumentException(file + ": " + at + " " + e.getMessage(), e);
    }
    return s;
  }

  private static List<Integer> intList(JsonNode o, String field, String file, String at) {
    JsonNode n = o.get(field);
    if (n == null || !n.isArray()) {
      throw bad(file, at + field, String.valueOf(n), "a list of integers");
    }
    List<Integer> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asInt()));
    return out;
  }

  private static JsonNode object(JsonNode parent, String field, String file) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) {
      throw bad(file, field, String.valueOf(n), "an object");
    }
    return n;
  }

  private static String text(JsonNode parent, String field, String file) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isTextual()) {
      throw bad(file, field, String.valueOf(n), "a string");
    }
    return n.asText();
  }

  private static int integer(JsonNode parent, String field, String file) {
    JsonNode n = parent.get(field);
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw bad(file, field, String.valueOf(n), "an integer");
    }
    return n.asInt();
  }

  private static Number number(JsonNode parent, String field, String file) {
    JsonNode n = parent.get(field);
    if (n == null || !n.isNumber()) {
      throw bad(file, field, String.valueOf(n), "a number");
    }
    return n.numberValue();
  }

  private static IllegalArgumentException bad(String file, String field, String value, String ok) {
    return new IllegalArgumentException(
        file + ": " + field + " is " + value + ", expected " + ok + "; the run cannot be resumed");
  }
}
