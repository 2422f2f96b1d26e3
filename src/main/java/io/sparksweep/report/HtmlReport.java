package io.sparksweep.report;

import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report page: one self-contained HTML file (inline CSS and a few lines of vanilla JavaScript
 * that sort the trials table by any column header) showing the run's summary, every chart and every
 * trial. Written as polyglot markup (well-formed XML, no named entities, script free of {@code <}
 * and {@code &}), so tools can parse it as XML too. The page depends on its input only.
 */
final class HtmlReport {
  private static final String CSS =
      """
      body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
      h1 { font-size: 24px; margin-bottom: 4px; }
      h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #ddd; }
      code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 90%; }
      .grid-name { color: #555; margin-top: 0; }
      ul.summary li { margin: 3px 0; }
      figure { margin: 16px 0 28px 0; }
      figure img { max-width: 100%; border: 1px solid #eee; }
      figcaption { color: #555; font-size: 14px; margin-top: 4px; }
      img.filters { image-rendering: pixelated; }
      table.sortable { border-collapse: collapse; font-size: 13px; }
      table.sortable th, table.sortable td { border: 1px solid #ddd; padding: 3px 8px; }
      table.sortable th { background: #f3f3f3; cursor: pointer; user-select: none;
        white-space: nowrap; position: sticky; top: 0; }
      table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; }
      table.sortable th[aria-sort=descending]::after { content: " \\25BC"; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.status { font-weight: bold; }
      .status-ok { color: #1a7f37; }
      .status-diverged { color: #b35900; }
      .status-failed { color: #c62828; }
      tr.row-diverged td { background: #fff6e5; }
      tr.row-failed td { background: #fdecea; }
      """;

  /**
   * Click-to-sort: numbers (from {@code data-v}, else the cell text) compare as numbers, before
   * text; a second click reverses. Uses no {@code <} or {@code &}, so the page stays XML.
   */
  private static final String SCRIPT =
      """
      (function () {
        function key(cell) {
          var v = cell.getAttribute('data-v');
          if (v === null) { v = cell.textContent; }
          var n = Number(v);
          return (v === '' || isNaN(n)) ? v : n;
        }
        function compare(a, b) {
          var na = typeof a === 'number', nb = typeof b === 'number';
          if (na !== nb) { return na ? -1 : 1; }
          if (na) { return a === b ? 0 : (a > b ? 1 : -1); }
          return a.localeCompare(b);
        }
        Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
          var headers = table.tHead.rows[0].cells;
          Array.prototype.forEach.call(headers, function (th, col) {
            th.addEventListener('click', function () {
              var ascending = th.getAttribute('aria-sort') !== 'ascending';
              Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (r1, r2) {
                var c = compare(key(r1.cells[col]), key(r2.cells[col]));
                return ascending ? c : -c;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            });
          });
        });
      })();
      """;

  private HtmlReport() {}

  /**
   * The page of a run.
   *
   * @param report the run
   * @param axes the run's axes (which columns vary, labels)
   * @param charts the charts written next to the page, in display order
   * @return the whole HTML document
   */
  static String page(RunReport report, RunAxes axes, List<ChartFile> charts) {
    StringBuilder h = new StringBuilder(16_384);
    String runId = Format.html(report.runId());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>sparksweep report: ")
        .append(runId)
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>sparksweep run <code>").append(runId).append("</code></h1>\n");
    if (!report.gridName().isEmpty()) {
      h.append("<p class=\"grid-name\">grid <code>")
          .append(Format.html(report.gridName()))
          .append("</code></p>\n");
    }
    summary(h, report, axes);
    chartSection(h, charts);
    table(h, report, axes);
    h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, RunReport report, RunAxes axes) {
    Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
    for (TrialStatus s : TrialStatus.values()) {
      counts.put(s, 0);
    }
    for (TrialRow r : report.rows()) {
      counts.merge(r.status(), 1, Integer::sum);
    }
    h.append("<h2>Summary</h2>\n<ul class=\"summary\">\n<li id=\"trial-counts\">")
        .append(report.rows().size())
        .append(report.rows().size() == 1 ? " trial: " : " trials: ");
    List<String> parts = new ArrayList<>();
    for (TrialStatus s : TrialStatus.values()) {
      parts.add(
          "<span class=\"" + statusClass(s) + "\">" + counts.get(s) + " " + s.name() + "</span>");
    }
    h.append(String.join(", ", parts)).append("</li>\n");
    TrialRow best = best(report.rows());
    h.append("<li id=\"best-trial\">Best trial: ");
    if (best == null) {
      h.append("none (no OK trial)");
    } else {
      h.append("#")
          .append(best.trialIndex())
          .append(" <code>")
          .append(Format.html(best.trialKey()))
          .append("</code> (")
          .append(Format.html(axes.label(best)))
          .append("): best val acc ")
          .append(Format.accuracy(best.bestValAcc()))
          .append(", val acc ")
          .append(Format.accuracy(best.valAcc()))
          .append(", test acc ")
          .append(Format.accuracy(best.testAcc()));
    }
    h.append("</li>\n");
    if (!axes.varying().isEmpty()) {
      h.append("<li>Varied: ");
      List<String> names = new ArrayList<>();
      for (String k : axes.varying()) {
        names.add("<code>" + Format.html(k) + "</code>");
      }
      h.append(String.join(", ", names)).append("</li>\n");
    }
    if (!axes.fixed().isEmpty()) {
      h.append("<li>Fixed: ");
      List<String> pairs = new ArrayList<>();
      axes.fixed()
          .forEach(
              (k, v) ->
                  pairs.add(
                      "<code>" + Format.html(k) + "=" + Format.html(Format.value(v)) + "</code>"));
      h.append(String.join(", ", pairs)).append("</li>\n");
    }
    h.append("</ul>\n");
  }

  private static void chartSection(StringBuilder h, List<ChartFile> charts) {
    if (charts.isEmpty()) {
      return;
    }
    h.append("<h2>Charts</h2>\n");
    for (ChartFile c : charts) {
      String file = Format.html(c.fileName());
      h.append("<figure>\n<img src=\"")
          .append(file)
          .append("\" alt=\"")
          .append(Format.html(c.title()))
          .append("\"")
          .append(c.fileName().equals(ReportRenderer.FILTERS) ? " class=\"filters\"" : "")
          .append("/>\n<figcaption>")
          .append(Format.html(c.caption()))
          .append("</figcaption>\n</figure>\n");
    }
  }

  private static void table(StringBuilder h, RunReport report, RunAxes axes) {
    h.append("<h2>Trials</h2>\n<p>Click a column header to sort.</p>\n")
        .append("<table id=\"trials\" class=\"sortable\">\n<thead>\n<tr>");
    List<String> headers = new ArrayList<>(List.of("#", "repeat", "key"));
    headers.addAll(axes.varying());
    headers.addAll(
        List.of(
            "status",
            "best val acc",
            "val acc",
            "test acc",
            "best train acc",
            "final train acc",
            "final loss",
            "epochs",
            "seconds",
            "seed",
            "executor",
            "note"));
    for (String name : headers) {
      h.append("<th>").append(Format.html(name)).append("</th>");
    }
    h.append("</tr>\n</thead>\n<tbody>\n");
    for (TrialRow r : report.rows()) {
      h.append("<tr class=\"row-").append(r.status().name().toLowerCase(Locale.ROOT)).append("\">");
      number(h, Integer.toString(r.trialIndex()), Integer.toString(r.trialIndex()));
      number(h, Integer.toString(r.repeat()), Integer.toString(r.repeat()));
      h.append("<td><code>").append(Format.html(r.trialKey())).append("</code></td>");
      for (String k : axes.varying()) {
        String v = r.hyperparameters().get(k);
        if (v == null) {
          h.append("<td data-v=\"\">").append(Format.MISSING).append("</td>");
        } else if (Format.isNumber(v)) {
          number(h, Format.sortKey(Format.parse(v)), Format.value(v));
        } else {
          h.append("<td>").append(Format.html(v)).append("</td>");
        }
      }
      h.append("<td class=\"status ")
          .append(statusClass(r.status()))
          .append("\">")
          .append(r.status().name())
          .append("</td>");
      number(h, Format.sortKey(r.bestValAcc()), Format.accuracy(r.bestValAcc()));
      number(h, Format.sortKey(r.valAcc()), Format.accuracy(r.valAcc()));
      number(h, Format.sortKey(r.testAcc()), Format.accuracy(r.testAcc()));
      number(h, Format.sortKey(r.bestTrainAcc()), Format.accuracy(r.bestTrainAcc()));
      number(h, Format.sortKey(r.finalTrainAcc()), Format.accuracy(r.finalTrainAcc()));
      number(h, Format.sortKey(r.finalLoss()), Format.loss(r.finalLoss()));
      number(h, Integer.toString(r.epochsRun()), Integer.toString(r.epochsRun()));
      number(h, Format.sortKey(r.trainSeconds()), Format.seconds(r.trainSeconds()));
      number(h, Long.toString(r.seed()), Long.toString(r.seed()));
      h.append("<td>")
          .append(r.executor() == null ? "" : Format.html(r.executor()))
          .append("</td>");
      h.append("<td class=\"note\">").append(Format.html(note(r))).append("</td>");
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  /** The best OK trial by best validation accuracy (the first on ties); null if none. */
  static TrialRow best(List<TrialRow> rows) {
    TrialRow best = null;
    for (TrialRow r : rows) {
      if (r.status() == TrialStatus.OK
          && Double.isFinite(r.bestValAcc())
          && (best == null || r.bestValAcc() > best.bestValAcc())) {
        best = r;
      }
    }
    return best;
  }

  private static String note(TrialRow r) {
    String error = r.error() == null ? "" : r.error();
    if (r.status() == TrialStatus.DIVERGED && r.divergedEpoch() > 0) {
      return "diverged at epoch " + r.divergedEpoch() + (error.isEmpty() ? "" : ": " + error);
    }
    return error;
  }

  private static void number(StringBuilder h, String sortKey, String text) {
    h.append("<td class=\"num\" data-v=\"")
        .append(Format.html(sortKey))
        .append("\">")
        .append(Format.html(text))
        .append("</td>");
  }

  private static String statusClass(TrialStatus s) {
    return "status-" + s.name().toLowerCase(Locale.ROOT);
  }
}
