"""Full-size hostile inputs (issue 13) against the CLI and the web app: a table of case, outcome,
seconds and peak MB (the largest process of the run, workers included).

    python bench/hostile.py            # every case (a few minutes; builds ~100 MB of inputs in a temp dir)
    python bench/hostile.py pdf html   # only cases whose name contains one of these words

Each CLI case runs as `python -m compliance.cli …` with a 60 s timeout and a 2 GB address-space
cap on the whole run; "clean" means no traceback and the expected exit code. The target is every
case clean, none past 30 s, none above 1 GB, and a normal web request answered within 2 s while a
hostile upload is being checked.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_inputs as H  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
CAP = 2 * 1024**3


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(args: list[str], cwd: Path, env: dict | None = None, expect: int | tuple = (2, 3)) -> tuple[str, float, float, str]:
    """(outcome, seconds, peak MB, first stderr line) of one CLI run."""
    e = dict(os.environ, COMPLIANCE_CACHE_DIR=str(cwd / ".cache"), **(env or {}))
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "compliance.cli", *args], cwd=cwd, env=e, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_cap, start_new_session=True)
    timer = threading.Timer(TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()))
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    t_out.start()
    t_err.start()
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.monotonic() - t0
    timer.cancel()
    t_out.join()
    t_err.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = b"".join(err_chunks).decode("utf-8", "replace")
    out = b"".join(out_chunks).decode("utf-8", "replace")
    expected = expect if isinstance(expect, tuple) else (expect,)
    if secs >= TIMEOUT:
        outcome = "HUNG (killed)"
    elif "Traceback" in err or "Traceback" in out:
        outcome = "TRACEBACK"
    elif proc.returncode not in expected:
        outcome = f"exit {proc.returncode} (want {'/'.join(map(str, expected))})"
    else:
        outcome = f"clean, exit {proc.returncode}"
    first = next((ln for ln in err.splitlines() if ln.strip()), "") or next(
        (ln.strip() for ln in out.splitlines() if "error" in ln), "")
    return outcome, secs, usage.ru_maxrss / 1024, first


def cli_cases(d: Path) -> list[tuple[str, list[str], dict | None, int | tuple]]:
    ok = H.report_txt(d)
    cases: list[tuple[str, list[str], dict | None, int | tuple]] = []
    big = [
        ("docx: zip header under-states 1.5 GB", H.docx_lying_header(d, 1500)),
        ("docx: legal, 190 MB document.xml", H.docx_big_xml(d, 190)),
        ("ofd: 200,000 page references to one page", H.ofd_page_refs(d, 200_000)),
        ("html: 200,000 nested <div>", H.html_nested(d, 200_000)),
        ("pdf: content stream inflating to 2 GB", H.pdf_bomb(d, 2048)),
        ("pdf: 10 M text operators", H.pdf_many_ops(d, 10_000_000)),
        ("txt: 2,000,000 short lines", H.txt_many_lines(d, 2_000_000)),
        ("txt: one 19 MB line", H.txt_long_line(d, 19)),
    ]
    near = d / "near-limit.txt"  # just under every reader limit: the time limit is what stops it
    para = "本局持续推进依法行政，规范执法程序，全年开展执法培训十二次。" * 60 + "\n"
    near.write_text(H.REPORT + para * (950_000 // len(para)), encoding="utf-8")
    big.append(("txt: 950,000 characters, just under the limits", near))
    for name, path in big:  # refused (3), or for the near-limit text a result (0) within the time limit
        cases.append((name, ["check", path.name, "-f", "json", "-o", "out.json"], None, (0, 3) if path == near else 3))
    folder = d / "folder"
    folder.mkdir()
    H.report_txt(folder)
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    cases.append(("inputs: FIFO and /dev/zero symlink in a folder", ["check", "folder", "-f", "json", "-o", "out.json"], None, 3))
    os.mkfifo(d / "fifo.yaml")
    (d / "zero.yaml").symlink_to("/dev/zero")
    for opt in ("--ruleset", "--waivers", "--baseline"):
        for target in ("fifo.yaml", "/dev/zero"):
            cases.append((f"{opt} {target}", ["check", ok.name, opt, target], None, 2))
    rs = d / "rs"
    rs.mkdir()
    (rs / "zero.yaml").symlink_to("/dev/zero")
    (rs / "child.yaml").write_text("name: c\nversion: '1'\nextends: zero\nrules: []\n", encoding="utf-8")
    (rs / "shadow.yaml").write_text("name: c\nversion: '1'\nextends: ../../../../../../etc/shadow\nrules: []\n", encoding="utf-8")
    (rs / "date.yaml").write_text("name: c\nversion: 2026-02-30\nrules: []\n", encoding="utf-8")
    cases.append(("extends: a /dev/zero ruleset", ["check", ok.name, "--ruleset", "rs/child.yaml"], None, 2))
    cases.append(("extends: ../../etc/shadow", ["check", ok.name, "--ruleset", "rs/shadow.yaml"], None, 2))
    cases.append(("ruleset version: 2026-02-30", ["check", ok.name, "--ruleset", "rs/date.yaml"], None, 2))
    bad_env = d / "envrs"
    bad_env.mkdir()
    (bad_env / "bad.yaml").write_text("name: bad\nversion: 2026-02-30\nprovince: 辽宁省\n", encoding="utf-8")
    cases.append(("COMPLIANCE_RULESETS with a bad date", ["check", ok.name, "-f", "json", "-o", "out.json"],
                  {"COMPLIANCE_RULESETS": str(bad_env)}, 0))
    (d / "w-date.yaml").write_text("- rule: AR-01\n  issuer: x\n  reason: y\n  expires: 2026-02-30\n", encoding="utf-8")
    (d / "w-bin.yaml").write_bytes(os.urandom(4096))
    (d / "b-bin.json").write_bytes(os.urandom(4096))
    (d / "b-types.json").write_text('{"reports": [{"sha256": 1, "meta": [], "results": "x"}, 5]}', encoding="utf-8")
    (d / "b-deep.json").write_text('{"reports": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    cases += [
        ("waivers expires: 2026-02-30", ["check", ok.name, "--waivers", "w-date.yaml"], None, 2),
        ("waivers: binary", ["check", ok.name, "--waivers", "w-bin.yaml"], None, 2),
        ("baseline: binary", ["check", ok.name, "--baseline", "b-bin.json"], None, 2),
        ("baseline: wrong types", ["check", ok.name, "--baseline", "b-types.json", "-f", "json", "-o", "out.json"], None, 0),
        ("baseline: 100k-deep nesting", ["check", ok.name, "--baseline", "b-deep.json"], None, 2),
    ]
    for cue in ("/(依|依依)*法/", "/(.*依){30}/"):
        f = d / f"cue-{len(cases)}.yaml"
        f.write_text(H.catastrophic_ruleset(cue), encoding="utf-8")
        cases.append((f"ruleset cue {cue}", ["check", ok.name, "--ruleset", f.name], None, 2))
    for fmt in ("json", "jsonl", "csv", "html", "xlsx", "sarif", "junit", "markdown", "table"):
        cases.append((f"-o /dev/full --format {fmt}", ["check", ok.name, "-f", fmt, "-o", "/dev/full"], None, 2))
    cases.append(("-o /dev/null", ["check", ok.name, "-f", "json", "-o", "/dev/null"], None, 0))
    (d / "victim.txt").write_text("keep", encoding="utf-8")
    (d / "planted.json.part").symlink_to(d / "victim.txt")
    cases.append(("a planted FILE.part symlink", ["check", ok.name, "-f", "json", "-o", "planted.json"], None, 0))
    return cases


def web_cases(d: Path) -> list[tuple[str, str, float, float, str]]:
    """The server under a PDF-bomb upload: other requests' latency, Host/Origin checks, SIGTERM."""
    import httpx2 as httpx  # the dev extra (starlette's TestClient uses it)

    bomb = H.pdf_bomb(d, 2048).read_bytes()
    para = "本局持续推进依法行政，规范执法程序，全年开展执法培训十二次。" * 60 + "\n"
    slow = (H.REPORT + para * (950_000 // len(para))).encode()  # under the reader limits: runs to the time limit
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "compliance.cli", "serve", "--port", str(port)], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_cap, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        report = H.REPORT.encode()
        httpx.post(base + "/api/check", files={"files": ("warm.txt", report)}, timeout=60)  # start a worker
        got: dict = {}

        def upload():
            t = time.monotonic()
            r = httpx.post(base + "/api/check", files={"files": ("bomb.pdf", bomb, "application/pdf"),
                                                       "text": (None, slow.decode())}, timeout=90)
            got["bomb"] = (r.status_code, " / ".join(e["error"][:60] for e in r.json()["errors"]) if r.status_code == 200 else r.text[:80],
                           time.monotonic() - t)

        th = threading.Thread(target=upload)
        th.start()
        time.sleep(2)  # the bomb is refused at once; the long text keeps a worker busy
        t = time.monotonic()
        page = httpx.get(base + "/", timeout=30)
        rows.append(("web: GET / during a hostile upload", f"HTTP {page.status_code}", time.monotonic() - t, 0.0, ""))
        t = time.monotonic()
        r = httpx.post(base + "/api/check", files={"files": ("ok.txt", report)}, timeout=60)
        ok = r.status_code == 200 and r.json()["summary"]["checked"] == 1
        rows.append(("web: a normal check during the upload", f"HTTP {r.status_code}{'' if ok else ' (not checked)'}",
                     time.monotonic() - t, 0.0, ""))
        th.join(120)
        code, msg, secs = got.get("bomb", (0, "no answer", 0.0))
        rows.append(("web: the upload itself (PDF bomb + 950k-character text)", f"HTTP {code}", secs, 0.0, msg))
        r = httpx.get(base + "/", headers={"host": "evil.example"}, timeout=10)
        rows.append(("web: foreign Host header", f"HTTP {r.status_code}", 0.0, 0.0, ""))
        r = httpx.post(base + "/api/check", files={"files": ("ok.txt", report)}, headers={"origin": "http://evil.example"}, timeout=30)
        rows.append(("web: cross-origin POST", f"HTTP {r.status_code}", 0.0, 0.0, ""))
        th2 = threading.Thread(target=lambda: httpx.post(base + "/api/check", data={"text": slow.decode()}, timeout=90), daemon=True)
        th2.start()
        time.sleep(0.5)
    finally:
        t = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        usage = None
        while time.monotonic() - t < 30:
            pid, _, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = ru
                break
            time.sleep(0.05)
        if usage is None:
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
    secs = time.monotonic() - t
    peak = usage.ru_maxrss / 1024 if usage else 0.0
    rows.append(("web: SIGTERM during a check", "stopped" if usage else "HUNG", secs, peak, "peak MB: the server process"))
    return rows


def main(words: list[str]) -> int:
    rows: list[tuple[str, str, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        d = Path(tmp)
        print("building inputs…", file=sys.stderr)
        for name, args, env, expect in (cli_cases(d) if not words or words != ["web"] else []):
            if words and not any(w in name for w in words):
                continue
            outcome, secs, mb, first = run(args, d, env, expect)
            rows.append((name, outcome, secs, mb, first[:90]))
            print(f"{name}: {outcome} {secs:.1f}s {mb:.0f}MB", file=sys.stderr)
        if not words or any(w in "web" for w in words):
            rows += web_cases(d)
    w = max(len(r[0]) for r in rows)
    print(f"| {'case':<{w}} | outcome | s | peak MB | message |")
    print(f"|{'-' * (w + 2)}|---|---:|---:|---|")
    for name, outcome, secs, mb, msg in rows:
        print(f"| {name:<{w}} | {outcome} | {secs:.1f} | {mb:.0f} | {msg.replace('|', '/')} |")
    bad = [r for r in rows if not (r[1].startswith(("clean", "HTTP", "stopped"))) or r[2] > 30 or r[3] > 1024]
    print(f"\n{len(rows) - len(bad)}/{len(rows)} within the targets (clean, ≤ 30 s, ≤ 1 GB)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
