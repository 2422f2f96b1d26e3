package io.sparksweep.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.search.schedule.Segment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an adaptive run's journal ({@code <run>/journal/batch-<n>.jsonl}, {@link
 * RunStore#writeJournal}): one JSON object per line, one per event the {@link
 * io.sparksweep.search.AdaptiveDriver} reported to its listener, in order. Doubles are written
 * exactly ({@link Double#toString}), NaN as the string {@code "NaN"}.
 *
 * <ul>
 *   <li>{@code {"e":"assigned","trial","bracket","rung","from","to"}}, {@code
 *       {"e":"reported","trial","rung","metric"}}, {@code {"e":"logged-decision", decision…}}: the
 *       scheduler's log ({@link LogEntry}), which a resume replays;
 *   <li>{@code {"e":"segment", …}}: a segment's result, with its learning curve, and for a trial's
 *       last segment its validation / test / final training accuracy ({@code "completed"});
 *   <li>{@code {"e":"decided", decision…, "at"}}: a rung decision (a {@code rungs} row);
 *   <li>{@code {"e":"finished","trial","outcome","status","reached","rung","metric","best"}}: a
 *       trial that will not train further (a {@code trials} row).
 * </ul>
 */
final class AdaptiveJournal {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AdaptiveJournal() {}

  /** One journal event. */
  sealed interface Event permits Logged, SegmentDone, Decided, Finished {}

  /** A scheduler log entry. */
  record Logged(LogEntry entry) implements Event {}

  /**
   * A segment's result.
   *
   * @param result the result
   * @param completed the evaluation after the trial's last segment, or null
   */
  record SegmentDone(SegmentResult result, Completed completed) implements Event {}

  /**
   * What a trial's last segment measured on its restored best parameters.
   *
   * @param valAcc validation accuracy
   * @param testAcc test accuracy
   * @param finalTrainAcc training-subset accuracy at the last check
   */
  record Completed(double valAcc, double testAcc, double finalTrainAcc) {}

  /**
   * A rung decision.
   *
   * @param decision what
   * @param atMillis when
   */
  record Decided(Decision decision, long atMillis) implements Event {}

  /**
   * A trial that will not train further.
   *
   * @param trial its index
   * @param outcome stopped or completed
   * @param status the status of its last segment
   * @param epochReached epochs it trained
   * @param rung the rung of the decision
   * @param metric its metric there
   * @param bestValAcc its best validation accuracy
   */
  record Finished(
      int trial,
      Decision.Outcome outcome,
      TrialStatus status,
      int epochReached,
      int rung,
      double metric,
      double bestValAcc)
      implements Event {}

  /** One event as a line (no newline). */
  static String line(Event event) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      if (event instanceof Logged l) {
        LogEntry entry = l.entry();
        if (entry instanceof LogEntry.Assigned a) {
          g.writeStringField("e", "assigned");
          writeSegment(g, a.segment());
        } else if (entry instanceof LogEntry.Reported r) {
          g.writeStringField("e", "reported");
          g.writeNumberField("trial", r.trial());
          g.writeNumberField("rung", r.rung());
          writeDouble(g, "metric", r.metric());
        } else {
          g.writeStringField("e", "logged-decision");
          writeDecision(g, ((LogEntry.Decided) entry).decision());
        }
      } else if (event instanceof SegmentDone s) {
        SegmentResult r = s.result();
        g.writeStringField("e", "segment");
        writeSegment(g, r.segment());
        g.writeStringField("status", r.status().name());
        writeDouble(g, "metric", r.metric());
        writeDouble(g, "best", r.bestValAcc());
        g.writeNumberField("reached", r.epochReached());
        g.writeArrayFieldStart("epochs");
        for (EpochRecord e : r.epochs()) {
          g.writeStartArray();
          g.writeNumber(e.epoch());
          writeDouble(g, e.loss());
          writeDouble(g, e.trainAcc());
          writeDouble(g, e.valAcc());
          g.writeEndArray();
        }
        g.writeEndArray();
        if (r.error() != null) {
          g.writeStringField("error", r.error());
        }
        writeDouble(g, "seconds", r.seconds());
        g.writeStringField("executor", r.executor());
        g.writeNumberField("finished", r.finishedAtMillis());
        if (s.completed() != null) {
          g.writeArrayFieldStart("completed");
          writeDouble(g, s.completed().valAcc());
          writeDouble(g, s.completed().testAcc());
          writeDouble(g, s.completed().finalTrainAcc());
          g.writeEndArray();
        }
      } else if (event instanceof Decided d) {
        g.writeStringField("e", "decided");
        writeDecision(g, d.decision());
        g.writeNumberField("at", d.atMillis());
      } else {
        Finished f = (Finished) event;
        g.writeStringField("e", "finished");
        g.writeNumberField("trial", f.trial());
        g.writeStringField("outcome", f.outcome().name());
        g.writeStringField("status", f.status().name());
        g.writeNumberField("reached", f.epochReached());
        g.writeNumberField("rung", f.rung());
        writeDouble(g, "metric", f.metric());
        writeDouble(g, "best", f.bestValAcc());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a journal line", e);
    }
    return text.toString();
  }

  /**
   * The events of one journal file.
   *
   * @param text the file's text
   * @param where the file, for error messages
   * @throws IllegalArgumentException if a line is not an event
   */
  static List<Event> parse(String text, String where) {
    List<Event> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(event(MAPPER.readTree(line)));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            where + ":" + n + ": not a journal event (" + e.getMessage() + "): " + line, e);
      }
    }
    return out;
  }

  private static Event event(JsonNode j) {
    String kind = j.get("e").asText();
    return switch (kind) {
      case "assigned" -> new Logged(new LogEntry.Assigned(segment(j)));
      case "reported" ->
          new Logged(
              new LogEntry.Reported(j.get("trial").asInt(), j.get("rung").asInt(), d(j, "metric")));
      case "logged-decision" -> new Logged(new LogEntry.Decided(decision(j)));
      case "segment" -> {
        List<EpochRecord> epochs = new ArrayList<>();
        for (JsonNode e : j.get("epochs")) {
          epochs.add(new EpochRecord(e.get(0).asInt(), d(e.get(1)), d(e.get(2)), d(e.get(3))));
        }
        JsonNode c = j.get("completed");
        yield new SegmentDone(
            new SegmentResult(
                segment(j),
                TrialStatus.valueOf(j.get("status").asText()),
                d(j, "metric"),
                d(j, "best"),
                j.get("reached").asInt(),
                epochs,
                j.has("error") ? j.get("error").asText() : null,
                d(j, "seconds"),
                j.get("executor").asText(),
                j.get("finished").asLong()),
            c == null ? null : new Completed(d(c.get(0)), d(c.get(1)), d(c.get(2))));
      }
      case "decided" -> new Decided(decision(j), j.get("at").asLong());
      case "finished" ->
          new Finished(
              j.get("trial").asInt(),
              Decision.Outcome.valueOf(j.get("outcome").asText()),
              TrialStatus.valueOf(j.get("status").asText()),
              j.get("reached").asInt(),
              j.get("rung").asInt(),
              d(j, "metric"),
              d(j, "best"));
      default -> throw new IllegalArgumentException("unknown event '" + kind + "'");
    };
  }

  private static void writeSegment(JsonGenerator g, Segment s) throws IOException {
    g.writeNumberField("trial", s.trial());
    g.writeNumberField("bracket", s.bracket());
    g.writeNumberField("rung", s.rung());
    g.writeNumberField("from", s.fromEpoch());
    g.writeNumberField("to", s.toEpoch());
  }

  private static Segment segment(JsonNode j) {
    return new Segment(
        j.get("trial").asInt(),
        j.get("bracket").asInt(),
        j.get("rung").asInt(),
        j.get("from").asInt(),
        j.get("to").asInt());
  }

  private static void writeDecision(JsonGenerator g, Decision d) throws IOException {
    g.writeNumberField("trial", d.trial());
    g.writeNumberField("bracket", d.bracket());
    g.writeNumberField("rung", d.rung());
    g.writeNumberField("epochs", d.epochs());
    writeDouble(g, "metric", d.metric());
    g.writeStringField("outcome", d.outcome().name());
  }

  private static Decision decision(JsonNode j) {
    return new Decision(
        j.get("trial").asInt(),
        j.get("bracket").asInt(),
        j.get("rung").asInt(),
        j.get("epochs").asInt(),
        d(j, "metric"),
        Decision.Outcome.valueOf(j.get("outcome").asText()));
  }

  private static void writeDouble(JsonGenerator g, String field, double v) throws IOException {
    g.writeFieldName(field);
    writeDouble(g, v);
  }

  private static void writeDouble(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeString(Double.toString(v));
    }
  }

  private static double d(JsonNode j, String field) {
    return d(j.get(field));
  }

  private static double d(JsonNode v) {
    return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
  }
}
