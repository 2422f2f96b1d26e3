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
  static final String CSS =
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
      div.table-box { max-width: 100%; max-height: 85vh; overflow: auto; }
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
      tr.top td { font-weight: bold; }
      .run-id { color: #555; margin-top: 0; }
      table.importance { border-collapse: collapse; font-size: 14px; }
      table.importance th, table.importance td { border: 1px solid #ddd; padding: 3px 10px; }
      table.importance th { background: #f3f3f3; }
      """;

  /**
   * Click-to-sort: numbers (from {@code data-v}, else the cell text) compare as numbers, before
   * text; cells marked {@code data-int} (seeds: 19-digit longs, beyond a double's 53 bits) compare
   * exactly as {@code BigInt}s; a second click reverses. Uses no {@code <} or {@code &}, so the
   * page stays XML.
   */
  static final String SCRIPT =
      """
      (function () {
        function key(cell) {
          var v = cell.getAttribute('data-v');
          if (v === null) { v = cell.textContent; }
          if (cell.hasAttribute('data-int')) { return BigInt(v); }
          var n = Number(v);
          return (v === '' || isNaN(n)) ? v : n;
        }
        function isNumber(x) { return typeof x === 'number' || typeof x === 'bigint'; }
        function compare(a, b) {
          var na = isNumber(a), nb = isNumber(b);
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
   * @param importances the varied axes' importance, most important first
   * @param commonEpoch what the importance compares ({@link Importance#commonEpoch})
   * @return the whole HTML document
   */
  static String page(
      RunReport report,
      RunAxes axes,
      List<ChartFile> charts,
      List<Importance> importances,
      int commonEpoch) {
    StringBuilder h = new StringBuilder(16_384);
    String runId = Format.html(report.runId());
    String grid = Format.html(report.gridName());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>sparksweep report: ")
        .append(report.gridName().isEmpty() ? runId : grid + " (run " + runId + ")")
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    if (report.gridName().isEmpty()) {
      h.append("<h1 id=\"heading\">sparksweep run <code>").append(runId).append("</code></h1>\n");
    } else {
      h.append("<h1 id=\"heading\">").append(grid).append("</h1>\n");
      h.append("<p class=\"run-id\">sparksweep run <code>").append(runId).append("</code></p>\n");
    }
    summary(h, report, axes);
    importanceSection(h, importances, commonEpoch);
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
      if (s == TrialStatus.STOPPED && counts.get(s) == 0) {
        continue; // only adaptive runs stop trials early
      }
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

  private static void importanceSection(
      StringBuilder h, List<Importance> importances, int commonEpoch) {
    if (importances.isEmpty()) {
      return;
    }
    h.append("<h2>Axis importance</h2>\n")
        .append("<p>Share of the variance of ")
        .append(Format.html(Importance.measured(commonEpoch)))
        .append(" that each axis explains on its own: &#951;&#178; = between-value sum of squares")
        .append(" / total sum of")
        .append(" squares (one-way ANOVA). 1: the value decides the accuracy; 0: it does not")
        .append(" matter. Marginal: interactions and noise are the rest. A numeric axis with more")
        .append(" than ")
        .append(Importance.BINS)
        .append(" values (a sampled space) is grouped into ")
        .append(Importance.BINS)
        .append(" bins of equally many of its values, in order.</p>\n")
        .append("<table id=\"importance\" class=\"importance\">\n<thead>\n<tr>")
        .append("<th>axis</th><th>&#951;&#178;</th><th>values</th><th>trials</th></tr>\n")
        .append("</thead>\n<tbody>\n");
    for (Importance i : importances) {
      h.append("<tr><td><code>")
          .append(Format.html(i.axis()))
          .append("</code></td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.3f", i.fraction()))
          .append("</td><td class=\"num\">")
          .append(i.binned() ? i.groups() + " bins" : Integer.toString(i.groups()))
          .append("</td><td class=\"num\">")
          .append(i.trials())
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n");
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
    // The table scrolls in its own box (both ways, header row kept in view), not the page.
    h.append("<h2>Trials</h2>\n<p>Click a column header to sort.</p>\n")
        .append("<div class=\"table-box\">\n")
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
    List<TrialRow> top = ChartData.top(report.rows(), ChartData.TOP_N);
    for (TrialRow r : report.rows()) {
      h.append("<tr class=\"row-")
          .append(r.status().name().toLowerCase(Locale.ROOT))
          .append(ChartData.rankOf(top, r) >= 0 ? " top" : "")
          .append("\">");
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
      h.append("<td class=\"num\" data-int=\"\">").append(r.seed()).append("</td>");
      h.append("<td>")
          .append(r.executor() == null ? "" : Format.html(r.executor()))
          .append("</td>");
      h.append("<td class=\"note\">").append(Format.html(note(r))).append("</td>");
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</div>\n");
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
