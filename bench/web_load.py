"""The web app under load (a script, not a test): N concurrent `POST /api/check` of real-sized reports.

Starts `compliance serve --no-record` on a free port, waits until it answers, warms it with one
request per worker, then sends `--concurrent` uploads at once (each from its own thread, each a
report from `bench/realistic.py`) for `--rounds` rounds, and prints p50/p95/max latency, the
throughput and the peak RSS of the server and its checking processes.

    .venv/bin/python bench/web_load.py [--concurrent 50] [--rounds 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_bench import _exe, _pct, _rss_kb, _tree  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_split(server: int) -> tuple[float, float]:
    """(the server process's CPU, its checking processes' CPU) so far."""
    return _cpu_s(server), sum(_cpu_s(p) for p in _tree(server) if p != server)


def _post(url: str, name: str, data: bytes) -> tuple[float, int]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=300) as resp:
        resp.read()
        status = resp.status
    return time.perf_counter() - t, status


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concurrent", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    from realistic import generate

    # ordinary reports only (the hostile shapes are measured by run_bench.py)
    docs = [(n, t.encode()) for n, t in generate(4 * a.concurrent, a.seed) if not n.startswith("hostile")]
    port = _free_port()
    server = subprocess.Popen(_exe() + ["serve", "--port", str(port), "--no-record"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/api/check"
    res: dict = {"concurrent": a.concurrent, "rounds": a.rounds, "loadavg_start": os.getloadavg()}
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], sum(_rss_kb(p) for p in _tree(server.pid)))
            time.sleep(0.2)

    try:
        for _ in range(600):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"server exited: {server.stderr.read().decode() if server.stderr else ''}")
                time.sleep(0.1)
        for name, data in docs[:4]:  # warm: every worker has compiled its rulesets
            _post(url, name, data)
        threading.Thread(target=sample, daemon=True).start()
        lat: list[float] = []
        bad = 0
        cpu0, client0 = _cpu_split(server.pid), time.process_time()
        t0 = time.perf_counter()
        for r in range(a.rounds):
            batch = [docs[(r * a.concurrent + k) % len(docs)] for k in range(a.concurrent)]
            out: list[tuple[float, int]] = []
            lock = threading.Lock()

            def one(name: str, data: bytes) -> None:
                got = _post(url, name, data)
                with lock:
                    out.append(got)

            threads = [threading.Thread(target=one, args=d) for d in batch]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            lat += [t for t, _ in out]
            bad += sum(1 for _, s in out if s != 200)
        wall = time.perf_counter() - t0
        cpu1, client1 = _cpu_split(server.pid), time.process_time()
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    res.update({"requests": len(lat), "non_200": bad, "p50_s": _pct(lat, 0.5), "p95_s": _pct(lat, 0.95),
                "max_s": max(lat), "per_s": len(lat) / wall,
                "server_cpu_ms": 1000 * (cpu1[0] - cpu0[0]) / len(lat), "workers_cpu_ms": 1000 * (cpu1[1] - cpu0[1]) / len(lat),
                "client_cpu_ms": 1000 * (client1 - client0) / len(lat), "peak_rss_mb": peak[0] / 1024,
                "mean_chars": sum(len(d.decode()) for _, d in docs) / len(docs), "loadavg_end": os.getloadavg()})
    print(f"{res['requests']} requests ({a.concurrent} at a time, {bad} not 200): p50 {res['p50_s']:.2f} s, "
          f"p95 {res['p95_s']:.2f} s, max {res['max_s']:.2f} s, {res['per_s']:.1f}/s; peak RSS {res['peak_rss_mb']:.0f} MB "
          f"(reports of {res['mean_chars']:.0f} chars on average); CPU per request: server {res['server_cpu_ms']:.0f} ms, "
          f"checking processes {res['workers_cpu_ms']:.0f} ms, this client {res['client_cpu_ms']:.0f} ms (load {res['loadavg_start'][0]:.1f} → {res['loadavg_end'][0]:.1f})")
    if a.json:
        a.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
