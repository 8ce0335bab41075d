"""Check many files: in-process or on a process pool, through the cache, in input order.

The engine holds the GIL, so parallelism is processes. Each worker compiles a ruleset once and
gets chunks of file paths; it sends each report back as its JSON and total (a stream writes the
JSON as it is), or an InputError. Only a few chunks are in flight, so the main process holds no
future per file. One bad file never stops the batch: a file that kills its worker, or runs past
`Job.timeout`, is checked again on its own and reported as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from loguru import logger

from compliance import __version__
from compliance.batch.limits import cpus, die_with_parent, limit_memory, memory_limit_mb
from compliance.models import InputError, ReportResult

Item = ReportResult | InputError


@dataclass(frozen=True)
class Job:
    ruleset: str = "auto"
    doc_type: str | None = None
    use_cache: bool = True
    cache_dir: str | None = None
    indent: int | None = None  # JSON indentation of the reports workers send back (2 for a json stream)
    timeout: float | None = None  # seconds one file may take in a worker process; None: no limit
    record: bool = False  # `check --record`: workers also build the store's rows (see Recordable)
    keep_text: bool = False  # with record: the report text goes into the store too


class RulesetLoadError(Exception):
    """The ruleset named on the command line cannot be used (exit 2)."""


_JOB: Job | None = None


_settled: set[int] = set()
_unsettled: list[object] = []  # rulesets loaded since the last settling
_checked = 0  # reports checked in this process


def _ruleset(name: str):
    """load_ruleset keeps compiled rulesets per process (re-validated by file mtimes), so each
    worker compiles a ruleset once — in the initializer for a named one, on first use for auto."""
    from compliance.rules.load import load_ruleset

    rs = load_ruleset(name)
    if id(rs) not in _settled:
        _settled.add(id(rs))
        _unsettled.append(rs)
    return rs


def _settle() -> None:
    """Before a process's second report (and after any later ruleset load), the rulesets it holds
    and the interpreter's own start-up heap are moved out of the garbage collector's sight with
    gc.freeze(): every report promotes thousands of short-lived objects, which triggers a full
    collection every ~70 reports, and traversing that long-lived heap each time cost ~0.8 ms per
    report (~8% of a batch). A one-report run never pays for the collection (~50 ms)."""
    global _checked
    _checked += 1
    if _checked > 1 and _unsettled:
        import gc

        _unsettled.clear()
        gc.collect()
        gc.freeze()


def validate_ruleset(name: str) -> None:
    """Load the ruleset once up front so a bad name or file fails before any report is read."""
    try:
        _ruleset("national" if name == "auto" else name)
    except Exception as e:  # RulesetError carries file:line:field lines; others one line
        msg = str(e).strip() or type(e).__name__
        raise RulesetLoadError(msg) from e


def all_cached(files: list[str], job: Job) -> bool:
    """Every file already has a cache entry: the ruleset need not even be loaded (it is ~1 s of
    YAML parsing, most of a warm re-run)."""
    if not job.use_cache:
        return False
    from pathlib import Path

    from compliance.batch.cache import ResultCache, cache_key, file_hash, ruleset_hash

    cache = ResultCache(Path(job.cache_dir) if job.cache_dir else None)
    rh = ruleset_hash(job.ruleset)
    try:
        return all(cache._path(cache_key(file_hash(f), rh, __version__, job.doc_type, Path(f).name)).is_file() for f in files)
    except OSError:
        return False


def _init_worker(job: Job) -> None:
    global _JOB, _CHOOSER
    _JOB = job
    _CHOOSER = Chooser(job.ruleset)
    die_with_parent()
    limit_memory()
    from compliance.log import setup_logging

    setup_logging(0)
    if job.ruleset != "auto":
        try:
            _ruleset(job.ruleset)
        except Exception:  # reported per file by check_one
            pass


def input_error(path: str, reason: str) -> InputError:
    """A file that could not be checked, its reason Chinese first (`中文（English）`) as the web
    app shows it: the English reason alone when there is no wording for it yet."""
    from compliance.readers.messages import bilingual

    return InputError(source=path, error=bilingual(reason))


def _error_text(e: BaseException, source: str = "") -> str:
    """First line of the message, without a leading "<source>: " (the error is listed under its source)."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    if source and text.startswith(source + ":"):
        text = text[len(source) + 1 :].strip()
    return text or type(e).__name__


class Chooser:
    """The compiled ruleset for a report's province, looked up once per province for a batch:
    `ruleset_for` and `load_ruleset` look at the ruleset folders and files (glob, stat) on every
    call, which is right for a long-lived web server and a waste for the 10,000th report."""

    def __init__(self, ruleset: str = "auto") -> None:
        self.ruleset = ruleset
        self._memo: dict[str, object] = {}
        self._rules_hash: str | None = None

    def rules_hash(self) -> str:
        """The cache's ruleset hash, once per batch (it globs and stats the ruleset folders)."""
        if self._rules_hash is None:
            from compliance.batch.cache import ruleset_hash

            self._rules_hash = ruleset_hash(self.ruleset)
        return self._rules_hash

    def __call__(self, province: str | None):
        key = province or ""
        rs = self._memo.get(key)
        if rs is None:
            from compliance.rules.load import ruleset_for

            rs = self._memo[key] = _ruleset(ruleset_for(province) if self.ruleset == "auto" else self.ruleset)
        return rs


_CHOOSER: Chooser | None = None  # a worker's, for the batch it serves


def evaluate_file(path: str, job: Job, choose: Chooser | None = None, lines: list[str] | None = None) -> ReportResult:
    """The pipeline (`compliance.pipeline`), with rulesets kept per process by the chooser.
    `lines`, when given, receives the input lines (for the store)."""
    from compliance.pipeline import check_file, check_report, load_report

    if lines is None:
        return check_file(path, choose or Chooser(job.ruleset), job.doc_type)
    report = load_report(path, job.doc_type)
    lines[:] = report.lines
    return check_report(report, choose or Chooser(job.ruleset))


def check_one(path: str, job: Job | None = None, choose: Chooser | None = None,
              lines: list[str] | None = None) -> Item:
    """One file → result; any failure becomes an InputError naming the file. `lines` receives
    the input lines when the file was read (not on a cache hit)."""
    job = job or _JOB or Job()
    choose = choose or (_CHOOSER if job is _JOB else None) or Chooser(job.ruleset)
    _settle()
    from compliance.batch.cache import ResultCache, cache_key, file_hash

    cache = key = None
    try:
        if job.use_cache:
            from pathlib import Path

            try:
                digest = file_hash(path)
            except OSError:  # not a regular file, too big, unreadable: the reader says which
                digest = None
            if digest is not None:
                cache = ResultCache(Path(job.cache_dir) if job.cache_dir else None)
                key = cache_key(digest, choose.rules_hash(), __version__, job.doc_type, Path(path).name)
                hit = cache.get(key)
                if hit is not None:
                    logger.debug("cache hit {}", path)
                    return hit.model_copy(update={"source": path})
        result = evaluate_file(path, job, choose) if lines is None else evaluate_file(path, job, choose, lines)
        if result.source != path:
            result = result.model_copy(update={"source": path})
    except FileNotFoundError:
        return input_error(path, "file not found")
    except MemoryError:
        return InputError(source=path, error=f"超出限制: 内存超过 {memory_limit_mb()} MB "
                                             f"(limit exceeded: more than {memory_limit_mb()} MB of memory; COMPLIANCE_MAX_MEMORY_MB)")
    except Exception as e:
        name = type(e).__name__
        if name not in ("ReadError", "NormalizeError"):
            logger.opt(exception=e).debug("unexpected failure on {}", path)
            return input_error(path, f"{name}: {_error_text(e, path)}")
        return input_error(path, _error_text(e, path))
    if cache is not None and key is not None:
        cache.put(key, result)
    return result


def run_batch(
    files: list[str],
    job: Job,
    jobs: int = 1,
    on_item: Callable[[Item], None] | None = None,
) -> list[Item]:
    """Check `files`; results are in input order whatever `jobs` is. `on_item` sees each one as it
    becomes available in that order (used to stream jsonl and drive the progress bar)."""
    out: list[Item] = []
    for item in iter_batch(files, job, jobs):
        assert isinstance(item, (ReportResult, InputError))  # RawReport only with raw=True
        out.append(item)
        if on_item is not None:
            on_item(item)
    return out


def _check_one_wire(path: str) -> Item | tuple:
    """check_one in a worker, a report sent back as (its JSON, its total): pydantic's Rust JSON
    both ways costs about a third of pickling and unpickling the model tree (the cache relies on
    the same round trip), and a stream needs no object at all. With `Job.record`, the store's rows
    for the report come along as a third element (built here, in parallel, not in the main process)."""
    job = _JOB or Job()
    lines: list[str] | None = [] if job.record else None
    item = check_one(path, lines=lines)
    if isinstance(item, ReportResult):
        from compliance.batch.post import postprocess

        item = postprocess(item)  # fingerprints filled here, so a stream needs nothing of the main process
        data = item.model_dump_json(indent=job.indent).encode("utf-8")
        if job.record:
            from compliance.store.rows import rows_of

            rows = rows_of(item, data if job.indent is None else None)
            return data, item.score.total, (rows.report, rows.rules, text_extra(path, lines, job))
        return data, item.score.total
    return item


def text_extra(path: str, lines: list[str] | None, job: Job) -> dict:
    """What the store keeps from a report's text: its sentence hashes and MinHash sketch (to
    find copies), and the text itself only with `Job.keep_text`. A cache hit did not read the
    file: it is read again here (reader only)."""
    if not lines:
        try:
            from compliance.readers import read

            lines = read(path).lines
        except Exception:  # the report is still recorded, without what its text gives
            return {}
    from compliance.store.digest import text_extra as extra

    return extra(lines, job.keep_text)


@dataclass(frozen=True)
class Recordable:
    """With `Job.record`: a checked report (object or RawReport) and what the store needs of it.
    `rows` (report, rules) come from a worker; None when checked in this process (built later,
    from the object, after waivers). `extra` holds what was taken from the text."""

    item: ReportResult | RawReport
    rows: tuple | None
    extra: dict


@dataclass(frozen=True)
class RawReport:
    """A worker's finished report as its JSON text, for a json/jsonl stream that needs no object
    (no waivers, baseline or thresholds): rebuilding the model tree would cost the main process
    about two milliseconds per report for nothing."""

    source: str
    text: str  # as the worker serialized it (compact, or indented for a json stream)
    total: float | None

    @property
    def line(self) -> str:
        return self.text + "\n"


def _from_wire(got: Item | tuple, path: str = "", raw: bool = False) -> Item | RawReport | Recordable:
    if isinstance(got, tuple):
        data, total = got[0], got[1]
        item = RawReport(path, data.decode("utf-8"), total) if raw else ReportResult.model_validate_json(data)
        if len(got) > 2:
            report, rules, extra = got[2]
            return Recordable(item, (report, rules), extra)
        return item
    return got


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once: a stuck worker never returns, and leaving the pool's `with`
    would wait for it forever. (Python 3.14 has `kill_workers()`; before it, `_processes`.)"""
    manager = getattr(pool, "_executor_manager_thread", None)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:  # already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        # its workers are dead: it sees that, marks the pool broken and ends. Waiting for it here
        # keeps it from outliving the pool, whose wake-up pipe it would otherwise write to at
        # interpreter exit after the pipe was closed ("Bad file descriptor" on stderr).
        manager.join(timeout=10)


def _timed_out(path: str, job: Job) -> InputError:
    return InputError(source=path, error=f"超出限制: 检查超过 {job.timeout:g} 秒，已停止 "
                                         f"(limit exceeded: checking took longer than {job.timeout:g} s; --timeout)")


def _isolated(path: str, job: Job) -> Item | tuple:
    """Check one file in a fresh single-worker pool, so a native crash or a hang is pinned on its file."""
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(job,)) as pool:
        try:
            return pool.submit(_check_one_wire, path).result(timeout=job.timeout)
        except BrokenProcessPool:
            return InputError(source=path, error="超出限制: 检查进程在此文件上终止（内存超限或读取库崩溃） "
                                                 "(the checking process died on this file: memory limit or a crash in a reader)")
        except TimeoutError:
            _kill(pool)
            return _timed_out(path, job)


def _read_lines(path: str) -> list[str]:
    from compliance.readers import read

    return read(path).lines


class LineReader:
    """Input lines read again for a view of the text (the HTML report), in a worker process with
    the checks' time and memory limits: the file may have changed since it was checked, or its
    result came from the cache, and nothing a user hands the main process is read unbounded.
    One worker serves every file; one that hangs or dies is replaced and its file has no view."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, path: str) -> list[str] | None:
        from concurrent.futures.process import BrokenProcessPool

        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(Job(use_cache=False),))
            except (OSError, ImportError, NotImplementedError):
                return None
        try:
            return self._pool.submit(_read_lines, path).result(timeout=self.timeout)
        except TimeoutError:
            _kill(self._pool)
            self._pool = None
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        except Exception:  # unreadable now: the report renders without its text view
            pass
        return None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _check_many_wire(paths: list[str]) -> list[Item | tuple]:
    """A chunk of files in one task: a task costs two pipe messages, a future and a wake-up of
    the pool's manager thread, which is worth sharing between several ~10 ms reports."""
    return [_check_one_wire(p) for p in paths]


def auto_jobs(n_files: int) -> int:
    """Workers when `--jobs` is not given: none for a few files (a worker costs ~0.3 s to start),
    else one per CPU, at most 8 (each holds its rulesets, ~90 MB) and one per 8 files."""
    if n_files < 16:
        return 1
    return max(1, min(cpus(), 8, n_files // 8))


def _chunk_size(n: int, jobs: int) -> int:
    """Files per task: 1 for small batches (every worker busy, results stream one by one), up to
    8 when there are hundreds."""
    return max(1, min(8, n // (jobs * 32)))


def _local(f: str, job: Job, choose: Chooser) -> Item | Recordable:
    """check_one in this process; with `Job.record`, as a Recordable (rows built by the caller)."""
    if not job.record:
        return check_one(f, job, choose)
    lines: list[str] = []
    item = check_one(f, job, choose, lines)
    if isinstance(item, InputError):
        return item
    return Recordable(item, None, text_extra(f, lines, job))


def iter_batch(files: list[str], job: Job, jobs: int = 1, raw: bool = False) -> Iterator[Item | RawReport | Recordable]:
    """Results in input order. With `raw`, reports from worker processes come as `RawReport`;
    with `Job.record`, every report comes as a `Recordable` holding it.

    Tasks are chunks of a few files, and only a few chunks per worker are in flight: the main
    process holds no future per file, so its memory does not grow with the batch."""
    if jobs <= 0:  # 0 = one per CPU
        jobs = cpus()
    jobs = max(1, min(jobs, len(files)))
    if (jobs == 1 or len(files) < 2) and job.timeout is None:  # in this process: no time limit possible
        choose = Chooser(job.ruleset)
        for f in files:
            yield _local(f, job, choose)
        return
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    size = _chunk_size(len(files), jobs)
    window = jobs * 3  # chunks in flight
    i = 0
    while i < len(files):  # a worker that dies (e.g. a native crash in a PDF library) costs one file
        broken = False
        try:
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(job,))
        except (OSError, ImportError, NotImplementedError) as exc:  # e.g. no /dev/shm for semaphores
            logger.warning("cannot start worker processes ({}); checking in this process", exc)
            choose = Chooser(job.ruleset)
            for f in files[i:]:
                yield _local(f, job, choose)
            return
        with pool:
            pending: deque = deque()  # (future, files of the chunk)
            nxt = i

            def fill() -> None:
                nonlocal nxt
                while len(pending) < window and nxt < len(files):
                    part = files[nxt : nxt + size]
                    pending.append((pool.submit(_check_many_wire, part), part))
                    nxt += len(part)

            try:
                fill()
                while pending:
                    fut, part = pending.popleft()
                    try:  # the chunk at the head runs (workers take chunks in order) or is done
                        got = fut.result(timeout=job.timeout * len(part) if job.timeout else None)
                    except BrokenProcessPool:  # a file of this chunk killed a worker: retry each alone
                        got = [_isolated(f, job) for f in part]
                        broken = True
                    except TimeoutError:  # a file of this chunk hangs: stop the pool, retry each alone
                        _kill(pool)
                        got = [_timed_out(part[0], job)] if len(part) == 1 else [_isolated(f, job) for f in part]
                        broken = True
                    except Exception:  # e.g. a result that could not be sent back: pin it on its file
                        got = [_one_by_one(pool, f, job) for f in part]
                        broken = True  # a fresh pool for the rest (this one may have been stopped)
                    if not broken:
                        fill()
                    for f, one in zip(part, got):
                        i += 1
                        yield _from_wire(one, f, raw)
                    if broken:
                        logger.warning("a worker process died or hung (checked {} again one by one); restarting the pool",
                                       ", ".join(part))
                        break
            finally:  # broken pool, Ctrl-C/SIGTERM or the consumer stopped: do not run the queued rest
                for other, _ in pending:
                    other.cancel()


def _one_by_one(pool: ProcessPoolExecutor, path: str, job: Job) -> Item | tuple:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(_check_one_wire, path).result(timeout=job.timeout)
    except TimeoutError:
        _kill(pool)
        return _timed_out(path, job)
    except BrokenProcessPool:
        return _isolated(path, job)
    except Exception as e:
        return input_error(path, f"{type(e).__name__}: {_error_text(e, path)}")
