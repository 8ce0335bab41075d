"""The web app's checking processes: uploads are checked in a few worker processes, each with an
address-space limit and each check with a wall-clock limit, so one hostile upload (a bomb, a
file that hangs a parser) costs one worker, is killed and replaced, and every other request goes
on. Requests wait for a free worker (there are as many as CPUs, up to 8), never behind one lock.

Workers are started with `forkserver` (a clean process: the server has threads) and kept; each
compiles the rulesets it needs once, then moves them out of the garbage collector's sight.
Requests waiting for a worker are served first come, first served: a freed worker is handed
to the oldest waiting request.

For the JSON API a worker sends the report as its finished JSON (`"raw"`: fingerprints
filled, serialized as `--format json` writes a report), so the server only splices it into the
envelope; the pages get the report's compact JSON and its input lines, to rebuild the object.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from loguru import logger


class CheckFailed(Exception):
    """A check that did not finish: timed out, ran out of memory, or its worker died."""


@dataclass
class _Worker:
    proc: Any
    conn: Any


class _Waiter:
    """A request waiting for a worker: woken with one handed to it, or with leave to start one
    (`grow`), or with neither (the pool is closing)."""

    __slots__ = ("event", "worker", "grow")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.worker: _Worker | None = None
        self.grow = False


def pool_size() -> int:
    """Workers for this machine: one per CPU (2 to 8); `COMPLIANCE_WEB_WORKERS` overrides."""
    raw = os.environ.get("COMPLIANCE_WEB_WORKERS", "").strip()
    if raw.isdigit():
        return int(raw)
    from compliance.batch.limits import cpus

    return max(2, min(cpus(), 8))  # two at least: one hostile upload never holds up the rest


def _settle() -> None:
    """What the worker holds from now on (compiled rulesets, modules, per-ruleset memos) is moved
    out of the garbage collector's sight (gc.freeze), as a batch worker does: otherwise every
    full collection walks that heap again (~100,000 objects with every ruleset compiled), about
    3 ms of each report's CPU."""
    import gc

    gc.collect()
    gc.freeze()


def _serve(conn, memory_mb: int, env: dict) -> None:
    """A worker's loop: (data, name, ruleset, doc_type, raw) in, ("ok", result JSON, lines) —
    with `raw`, ("raw", the report's indented JSON, its total) — or ("error", message) out,
    until the pipe closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us (Ctrl-C reaches the whole group)
    os.environ.update(env)
    from compliance.batch.limits import die_with_parent, limit_memory
    from compliance.log import setup_logging

    setup_logging(0)
    die_with_parent()
    limit_memory(memory_mb)
    from compliance.web.service import run_pipeline

    try:  # compile every installed ruleset now, so the first upload of each province waits for none
        from compliance.rules.load import available_rulesets, load_ruleset

        for name in available_rulesets():
            try:
                load_ruleset(name)
            except Exception:  # noqa: BLE001 - a broken ruleset is reported when it is asked for
                pass
    except Exception:  # noqa: BLE001
        pass

    _settle()
    checked = 0
    while True:
        try:
            data, name, ruleset, doc_type, raw = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result, lines = run_pipeline(data, name, ruleset, doc_type)
            if raw:
                from compliance.batch.post import postprocess

                result.source = name
                result = postprocess(result)  # as check_upload does; then as render.json writes it
                reply: tuple = ("raw", result.model_dump_json(indent=2), result.score.total)
            else:
                reply = ("ok", result.model_dump_json(), lines)
        except MemoryError:
            reply = ("memory", "")
        except Exception as exc:  # noqa: BLE001 - sent back as it is, the service words it
            from compliance.readers import ReadError

            reply = ("read", exc.reason) if isinstance(exc, ReadError) else ("error", f"{type(exc).__name__}: {exc}")
        del data
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", ""))
        del reply
        checked += 1
        if checked == 1:  # what the first report built (lazy imports, regexes, descriptions)
            _settle()


class CheckPool:
    def __init__(self, size: int | None = None, timeout: float = 20.0, memory_mb: int | None = None) -> None:
        from compliance.batch.limits import memory_limit_mb

        self.size = pool_size() if size is None else size
        self.timeout = timeout
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb
        self._idle: list[_Worker] = []
        self._waiting: deque[_Waiter] = deque()  # oldest first
        self._lock = threading.Lock()
        self._started = 0
        self._workers: dict[int, _Worker] = {}
        self._closed = False

    def _spawn(self) -> _Worker:
        import multiprocessing as mp

        ctx = mp.get_context("forkserver")
        parent, child = ctx.Pipe()
        env = {k: v for k, v in os.environ.items() if k.startswith("COMPLIANCE_")}
        proc = ctx.Process(target=_serve, args=(child, self.memory_mb, env), daemon=True, name="compliance-check")
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        assert proc.pid is not None  # started
        with self._lock:
            self._workers[proc.pid] = w
        return w

    def start(self) -> None:
        """Start every worker now (server start-up), so no request waits for one to start."""
        while True:
            with self._lock:
                if self._closed or self._started >= self.size:
                    return
                self._started += 1
            try:
                self._release(self._spawn())
            except Exception as exc:  # noqa: BLE001 - started on demand later
                self._lost()
                logger.warning("cannot start a checking process: {}", exc)
                return

    def _acquire(self) -> _Worker:
        """An idle worker, or a new one while fewer than `size` run; else wait, in arrival
        order, until one is handed over (no polling: a freed worker wakes one request)."""
        with self._lock:
            if self._closed:
                raise CheckFailed("服务正在关闭 (the server is shutting down)")
            if self._idle and not self._waiting:
                return self._idle.pop()
            if not self._waiting and self._started < self.size:
                self._started += 1
                grow = True
            else:
                waiter = _Waiter()
                self._waiting.append(waiter)
                grow = False
        if not grow:
            waiter.event.wait()
            if waiter.worker is not None:
                return waiter.worker
            if not waiter.grow:
                raise CheckFailed("服务正在关闭 (the server is shutting down)")
        try:
            return self._spawn()
        except Exception:
            self._lost()
            raise

    def _release(self, w: _Worker) -> None:
        """A worker is free: to the oldest waiting request, else idle."""
        with self._lock:
            if self._waiting:
                waiter = self._waiting.popleft()
                waiter.worker = w
                waiter.event.set()
            else:
                self._idle.append(w)

    def _lost(self) -> None:
        """A worker is gone (or never started): the oldest waiting request may start one."""
        with self._lock:
            self._started -= 1
            if self._waiting and not self._closed:
                waiter = self._waiting.popleft()
                waiter.grow = True
                self._started += 1
                waiter.event.set()

    def _discard(self, w: _Worker) -> None:
        """Kill a worker that overran or died; the next request starts a fresh one in its place."""
        try:
            w.proc.kill()
            w.proc.join(2)
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            w.conn.close()
        except OSError:
            pass
        with self._lock:
            self._workers.pop(w.proc.pid, None)
        self._lost()

    def check(self, data: bytes, name: str, ruleset: str, doc_type: str | None, raw: bool = False) -> tuple:
        """("ok", result JSON, lines), with `raw` ("raw", the report's JSON as `--format json`
        writes it, its total), or ("read" | "error", message); raises CheckFailed on a timeout,
        a dead worker or memory exhausted."""
        w = self._acquire()
        try:
            w.conn.send((data, name, ruleset, doc_type, raw))
            if not w.conn.poll(self.timeout):
                self._discard(w)
                raise CheckFailed(f"超出限制: 检查超过 {self.timeout:g} 秒，已停止 (limit exceeded: checking took longer than {self.timeout:g} s)")
            reply = w.conn.recv()
        except CheckFailed:
            raise
        except (EOFError, OSError, BrokenPipeError):
            self._discard(w)
            raise CheckFailed("超出限制: 检查进程在此文件上终止（内存超限或读取库崩溃） "
                              "(limit exceeded: the checking process died on this file)") from None
        if reply[0] == "memory":  # the worker survived a MemoryError, but its heap may be fragmented
            self._discard(w)
            raise CheckFailed(f"超出限制: 内存超过 {self.memory_mb} MB (limit exceeded: more than {self.memory_mb} MB of memory)")
        with self._lock:
            closed = self._closed
        if closed:
            self._discard(w)
        else:
            self._release(w)
        return reply

    def close(self) -> None:
        """Stop every worker now (server shutdown): a check in progress ends with CheckFailed."""
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
            waiting, self._waiting = list(self._waiting), deque()
        for waiter in waiting:  # each ends with CheckFailed
            waiter.event.set()
        for w in workers:
            try:
                w.proc.kill()
            except Exception:  # noqa: BLE001
                pass
        for w in workers:
            try:
                w.proc.join(2)
                w.conn.close()
            except Exception:  # noqa: BLE001
                pass
        logger.debug("check pool closed ({} workers)", len(workers))
