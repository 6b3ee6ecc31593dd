"""The first visit after the server starts against the later ones (issue #22, point 12).

    .venv/bin/python bench/firstvisit.py                      # 4 server starts a way, both ways
    .venv/bin/python bench/firstvisit.py --starts 2 --later 2 --launchers streamlit

For each way of starting the page (`streamlit run app.py`, and the start command `python3 dev.py
app` uses, `python -m laovn_map.page.serve app.py`, which warms the page at start-up) and each
pause (the first visitor arriving as soon as `/_stcore/health` answers, or once the log says
the page is warmed: `--pauses 0,warmed`), the server is started `--starts` times; each time one
visit, then `--later` more, each in a fresh browser profile: time to map (navigation → the map
painted, as `run.py` measures it) and to the page's title (until then the page is blank).
Medians (min–max) over the starts. Writes `results/firstvisit.{json,md}`, keeping the entries
of other labels (`--label`), so a measurement before a change and one after it sit side by
side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import benchlib as bl
from benchlib import summary

from laovn_map.page import serve
from tests import harness

RESULTS = bl.BENCH / "results"
LAUNCHERS = {"streamlit": harness.STREAMLIT_RUN, "serve": harness.STARTER}
COMMANDS = {"streamlit": "streamlit run app.py", "serve": "python -m laovn_map.page.serve app.py"}


#: Stamps, in the top page's clock, the moment the page's title is in the document: until then
#: the reader sees a blank page (Streamlit's own frame, nothing of ours).
TITLE_JS = """
(() => {
  if (window !== window.top) return;
  const seen = () => {
    if (window.__laovnTitle === undefined && document.querySelector('.laovn-title')) {
      window.__laovnTitle = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();
"""


def visit(browser: bl.Browser, spec: bl.PageSpec, url: str) -> dict[str, float | None]:
    """One visit in a fresh profile: ms from navigation to the map painted, and to the
    page's title in the document."""
    sess = browser.session(spec)
    try:
        sess.context.add_init_script(TITLE_JS)
        sess.page.goto(url, wait_until="commit")
        ready = sess.wait_ready()
        title = sess.page.evaluate("() => window.__laovnTitle ?? null")
        return {"ttm_ms": ready, "title_ms": title}
    finally:
        sess.close()


#: The pause "warmed": until the server's log says the warm-up has ended (the start command),
#: or, for a server that does not warm, this long.
WARMED = "warmed"
UNWARMED_PAUSE_S = 10.0
WARM_WAIT_S = 120.0


def _pause(server: harness.AppServer, pause: str) -> float:
    """Wait as `pause` says (seconds, or WARMED); the seconds waited."""
    started = time.monotonic()
    if pause != WARMED:
        time.sleep(float(pause))
    elif server.launcher != harness.STARTER:
        time.sleep(UNWARMED_PAUSE_S)
    else:
        while time.monotonic() - started < WARM_WAIT_S and server.log is not None:
            text = server.log.read_text(errors="replace")
            if serve.WARMED in text or serve.NOT_WARMED in text:
                break
            time.sleep(0.05)
    return time.monotonic() - started


def one_start(browser: bl.Browser, spec: bl.PageSpec, geo: Path, launcher: str, pause: str,
              later: int) -> dict[str, Any]:
    log = Path(f"/tmp/laovn-firstvisit-{launcher}.log")
    server = harness.AppServer(spec.script, geo, cwd=bl.ROOT, log=log,
                               launcher=LAUNCHERS[launcher])
    health_s = server.start()
    try:
        paused_s = _pause(server, pause)
        visits = [visit(browser, spec, server.url) for _ in range(1 + later)]
        warmed = serve.WARMED in log.read_text(errors="replace")
    finally:
        server.stop()
    return {"health_s": health_s, "paused_s": paused_s, "warmed": warmed, "first": visits[0],
            "later": visits[1:]}


def _ms(values: list[float | None]) -> dict[str, Any]:
    return summary([v for v in values if v is not None])


def run(starts: int, later: int, launchers: list[str], pauses: list[str]) -> dict[str, Any]:
    geo = bl.default_geo()
    spec = bl.page_specs(geo)["ours"]
    browser = bl.Browser()
    out: dict[str, Any] = {}
    try:
        visit_warm = browser.session(spec)  # the browser's own first start, not measured
        visit_warm.close()
        ways = [(launcher, pause) for launcher in launchers for pause in pauses]
        rows: dict[tuple[str, str], list[dict[str, Any]]] = {way: [] for way in ways}
        # the ways in turn, a different one first each round: the machine's load drifts
        for i in range(starts):
            for launcher, pause in ways[i % len(ways):] + ways[:i % len(ways)]:
                row = one_start(browser, spec, geo, launcher, pause, later)
                rows[launcher, pause].append(row)
                print(f"  {launcher} pause {pause}, start {i + 1}/{starts}: first "
                      f"{row['first']['ttm_ms']:.0f} ms, later "
                      + ", ".join(f"{v['ttm_ms']:.0f}" for v in row["later"]), flush=True)
        for (launcher, pause), done in rows.items():
            out[f"{launcher}/{pause}"] = {
                "launcher": launcher, "command": COMMANDS[launcher], "pause": pause,
                "paused_s": summary([r["paused_s"] for r in done]),
                "starts": done,
                "first_ttm": _ms([r["first"]["ttm_ms"] for r in done]),
                "first_title": _ms([r["first"]["title_ms"] for r in done]),
                "later_ttm": _ms([v["ttm_ms"] for r in done for v in r["later"]]),
                "later_title": _ms([v["title_ms"] for r in done for v in r["later"]]),
            }
    finally:
        browser.close()
    return out


def _fmt(s: dict[str, Any]) -> str:
    if not s.get("n"):
        return "—"
    return f"{s['median']:.0f} ms ({s['min']:.0f}–{s['max']:.0f})"


def _after(m: dict[str, Any]) -> str:
    """When the first visit came, after the server answered."""
    waited = m["paused_s"]
    if m["pause"] != WARMED:
        return f"{float(m['pause']):g} s"
    if m["launcher"] != "serve":
        return f"{waited['median']:.0f} s"
    return (f"the log said warmed ({waited['median']:.1f} s, "
            f"{waited['min']:.1f}–{waited['max']:.1f})")


def markdown(results: dict[str, Any]) -> str:
    lines = ["# The first visit after the server starts", "",
             "`bench/firstvisit.py`: medians (min–max) over the server starts; each visit in a "
             "fresh Chromium profile. Time to map: navigation → the map painted (7 missions, "
             "20 provinces); title: navigation → the page's title in the document (the page is "
             "blank until then).", ""]
    for label, entry in results.items():
        lines += [f"## {label}", "", entry["header"], "",
                  "| started with | first visit after | first visit: time to map | "
                  "title | later visits: time to map | title |",
                  "|---|---|---|---|---|---|"]
        for m in entry["measures"].values():
            lines.append(f"| `{m['command']}` | {_after(m)} | {_fmt(m['first_ttm'])} | "
                         f"{_fmt(m['first_title'])} | {_fmt(m['later_ttm'])} | "
                         f"{_fmt(m['later_title'])} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--starts", type=int, default=4)
    ap.add_argument("--later", type=int, default=2)
    ap.add_argument("--launchers", default="streamlit,serve")
    ap.add_argument("--pauses", default=f"0,{WARMED}",
                    help="seconds between the server answering and the first visit, or "
                         f"'{WARMED}': once the log says so ({UNWARMED_PAUSE_S:g} s for a "
                         "server that does not warm)")
    ap.add_argument("--label", default="latest")
    args = ap.parse_args()
    state = bl.app_state()
    load = bl.loadavg()
    measures = run(args.starts, args.later, args.launchers.split(","),
                   args.pauses.split(","))
    header = (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, code {state.get('head', '?')}"
              f"{' + local changes' if state.get('changed') else ''}; {args.starts} starts, "
              f"{args.later} later visits each; load average {load[0]:.1f} at the start, "
              f"{bl.loadavg()[0]:.1f} at the end")
    path = RESULTS / "firstvisit.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[args.label] = {"header": header, "measures": measures}
    path.write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "firstvisit.md").write_text(markdown(results))
    print(markdown({args.label: results[args.label]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
