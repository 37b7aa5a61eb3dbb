/**
 * The compliance evidence as one self-contained HTML page (no network: inline style and script, the report embedded
 * as JSON): a summary table per framework and a drill-down (framework → control → mlvault controls, resources and
 * findings). The script builds the page with textContent only, so no name or message is ever parsed as HTML; it marks
 * `<body data-rendered="ok">` when done (the browser test waits for that) and shows any script error on the page.
 */
import type { ComplianceReport } from "./compliance";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.pass{color:#1a7f37}.fail{color:#cf222e;font-weight:600}.exempted{color:#9a6700}.not-evaluated{color:#57606a}
details{margin:.3rem 0 .3rem 1rem}summary{cursor:pointer}code{font-size:12px}#error{color:#cf222e}
`;

const SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById("report").textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function cls(status) { return status.replace(" ", "-"); }
  var root = document.getElementById("app");
  var src = report.source;
  root.appendChild(el("h1", "Compliance evidence: stack " + src.stack + " (" + src.environment + ")"));
  root.appendChild(el("p", (src.kind === "plan" ? "Offline plan of the stack files" : "Deployed state: " + src.file) + ", evaluated " + report.evaluatedAt +
    ". Frameworks from " + report.data.source + " (" + report.data.release + ", commit " + report.data.commit + ")."));
  root.appendChild(el("p", report.coverage));
  var table = el("table"); table.id = "summary";
  var head = el("tr"); ["Framework", "pass", "fail", "exempted", "not evaluated"].forEach(function (h) { head.appendChild(el("th", h)); });
  table.appendChild(head);
  report.frameworks.forEach(function (f) {
    var tr = el("tr"); tr.setAttribute("data-framework", f.name);
    tr.appendChild(el("td", f.displayName));
    ["pass", "fail", "exempted", "not evaluated"].forEach(function (s) {
      var n = f.controls.filter(function (c) { return c.status === s; }).length;
      var td = el("td", String(n), cls(s)); td.setAttribute("data-status", s); tr.appendChild(td);
    });
    table.appendChild(tr);
  });
  root.appendChild(table);
  report.frameworks.forEach(function (f) {
    var d = el("details"); d.setAttribute("data-framework", f.name);
    d.appendChild(el("summary", f.displayName + ": " + f.controls.length + " controls"));
    d.appendChild(el("p", "Initiative " + f.initiativeId + " (version " + f.version + ")"));
    f.controls.forEach(function (c) {
      var cd = el("details"); var s = el("summary"); s.appendChild(el("code", c.id)); s.appendChild(document.createTextNode(" ")); s.appendChild(el("span", c.status, cls(c.status))); cd.appendChild(s);
      c.controls.forEach(function (m) {
        var levels = m.policies.map(function (p) { return p.enforcementLevel; }).filter(function (l, i, a) { return a.indexOf(l) === i; }).join("/") || "no policy";
        cd.appendChild(el("p", m.id + " " + m.title + ": " + m.status + " (" + levels + ")" + (m.mapping === "reasoned" ? " (reasoned mapping: " + m.reason + ")" : "") +
          "; via " + m.definitions.map(function (x) { return x.displayName; }).join(", ") + "; " + m.resources.length + " resource(s) judged"));
        if (m.violations.length) {
          var ul = el("ul");
          m.violations.forEach(function (v) { ul.appendChild(el("li", (v.urn ? v.urn.split("::").pop() : "stack") + ": " + (v.exempted ? "exempted until " + v.exempted.expiresOn + " by " + v.exempted.approvedBy + ": " + v.exempted.reason : v.message))); });
          cd.appendChild(ul);
        }
      });
      d.appendChild(cd);
    });
    root.appendChild(d);
  });
  var u = el("details"); u.appendChild(el("summary", "Controls with no built-in equivalent (" + report.unmapped.length + ")"));
  report.unmapped.forEach(function (x) { u.appendChild(el("p", x.id + " " + x.title + ": " + x.status + ". " + x.reason)); });
  root.appendChild(u);
  document.body.setAttribute("data-rendered", "ok");
})();
`;

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function embedded(report: ComplianceReport): string {
  return JSON.stringify(report).replace(/</g, "\\u003c");
}

export function renderComplianceHtml(report: ComplianceReport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>mlvault compliance evidence: ${report.source.stack.replace(/[<>&"]/g, "")}</title>
<style>${STYLE}</style>
</head>
<body>
<noscript>This page needs JavaScript to draw the report; the same data is in the JSON and Markdown reports.</noscript>
<div id="error"></div>
<div id="app"></div>
<script type="application/json" id="report">${embedded(report)}</script>
<script>
window.onerror = function (message) { document.getElementById("error").textContent = "error: " + message; document.body.setAttribute("data-rendered", "error"); };
${SCRIPT}
</script>
</body>
</html>
`;
}
