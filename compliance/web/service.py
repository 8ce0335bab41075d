"""What the web app does with uploads, kept apart from HTTP so tests can drive it directly.

Uploads stay in memory: only the extension of a client's file name is ever used (to pick a
reader) and the rest of the name is only displayed. Results live in a small in-memory LRU keyed
by random ids, so a page can be re-opened and downloaded without re-checking; a restart forgets
them (a local tool, not an archive).
"""

from __future__ import annotations

import re
import secrets
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from collections.abc import Callable
from typing import Any

from loguru import logger

from compliance.models import DOC_TYPES, CheckResult, InputError, ReportResult

# --------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_files: int = 200
    max_text_chars: int = 2_000_000  # pasted text
    max_request_bytes: int = 300 * 1024 * 1024  # whole request, checked on Content-Length
    workers: int | None = None  # checking processes; None: one per CPU (up to 8), 0: in this process
    check_timeout: float = 20.0  # seconds one upload may take in a worker
    store_bytes: int = 256 * 1024 * 1024  # results kept in memory, estimated
    allowed_hosts: tuple[str, ...] | None = None  # Host header values accepted; None: any (tests, embedding)


class UserError(Exception):
    """A request the app refuses as a whole; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


DOC_TYPE_CHOICES: tuple[str, ...] = tuple(t for t in DOC_TYPES if t != "other")

# --------------------------------------------------------------------------- names


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str | None, fallback: str = "未命名") -> str:
    """The last component of a client's file name, for display only (never a path on disk)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("", unicodedata.normalize("NFC", base)).strip()
    if len(base) > 120:
        suffix = PurePosixPath(base).suffix[:12]
        base = base[: 120 - len(suffix)] + suffix
    return base or fallback


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def supported_extensions() -> tuple[str, ...]:
    from compliance.readers import SUPPORTED_EXTENSIONS

    return tuple(SUPPORTED_EXTENSIONS)


def available_rulesets() -> list[str]:
    from compliance.rules.load import available_rulesets as avail

    try:
        return sorted(avail())
    except Exception as exc:  # a broken rulesets dir must not take the pages down
        logger.warning("cannot list rulesets: {}", exc)
        return []


def validate_choice(ruleset: str | None, doc_type: str | None) -> tuple[str, str | None]:
    """Ruleset must be one of the installed ones (never a path: requests do not touch files)."""
    rs = (ruleset or "auto").strip() or "auto"
    if rs != "auto" and rs not in available_rulesets():
        raise UserError(f"未知的规则集：{rs}（可选：auto, {', '.join(available_rulesets())}）")
    dt = (doc_type or "").strip() or None
    if dt is not None and dt not in DOC_TYPE_CHOICES:
        raise UserError(f"未知的文档类型：{dt}（可选：{', '.join(DOC_TYPE_CHOICES)}）")
    return rs, dt


# --------------------------------------------------------------------------- checking


@dataclass
class Upload:
    name: str  # display name
    data: bytes


@dataclass
class Checked:
    """One report as the pages need it: the result plus the input lines to show."""

    id: str
    name: str
    result: ReportResult
    lines: list[str]
    batch_id: str | None = None


# The engine keeps per-process state (durable_rules hosts); checks are short, so one at a time.
_ENGINE_LOCK = threading.Lock()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:400]


def run_pipeline(data: bytes, name: str, ruleset: str, doc_type: str | None) -> tuple[ReportResult, list[str]]:
    """The CLI's pipeline on bytes: read → normalize → check; returns the result and input lines."""
    from compliance.pipeline import check_bytes

    with _ENGINE_LOCK:
        return check_bytes(data, name, ruleset, doc_type)


def _in_worker(pool, upload: Upload, ruleset: str, doc_type: str | None, raw: bool = False) -> tuple:
    """run_pipeline in one of the pool's processes (time and memory bounded); errors as in-process.
    (result, lines); with `raw`, the worker's reply ("raw", report JSON, total)."""
    from compliance.readers import ReadError
    from compliance.web.workers import CheckFailed

    try:
        reply = pool.check(upload.data, upload.name, ruleset, doc_type, raw)
    except CheckFailed as exc:
        raise ValueError(f"{upload.name}: {exc}") from None
    if reply[0] == "raw":
        return reply
    if reply[0] == "ok":
        return ReportResult.model_validate_json(reply[1]), reply[2]
    if reply[0] == "read":
        raise ReadError(upload.name, reply[1])
    raise RuntimeError(reply[1])


def _refuse(upload: Upload) -> None:
    """What is refused before any reading: an unsupported extension, an empty file."""
    ext = extension(upload.name)
    if ext not in supported_extensions():
        raise ValueError(f"{upload.name}: 不支持的文件类型 {ext or '（无扩展名）'}；支持 {' '.join(supported_extensions())}")
    if not upload.data.strip():
        raise ValueError(f"{upload.name}: 文件为空")


def _read_failed(upload: Upload, exc: Exception) -> ValueError:
    from compliance.readers.messages import bilingual

    reason = getattr(exc, "reason", None) or _one_line(exc)
    return ValueError(f"{upload.name}: {bilingual(reason)}")


def _failed(upload: Upload, exc: Exception) -> ValueError:
    """Anything else is still one line for the user; details go to the log."""
    logger.opt(exception=exc).warning("check failed for {}", upload.name)
    return ValueError(f"{upload.name}: 无法处理（{_one_line(exc)}）")


def _guarded(upload: Upload, run: Callable[[], Any]) -> Any:
    """`run()` for one upload, refused first when unsupported or empty; any failure becomes a
    `ValueError` with one readable line naming the file."""
    from compliance.readers import ReadError

    _refuse(upload)
    try:
        return run()
    except ValueError:
        raise
    except ReadError as exc:
        raise _read_failed(upload, exc) from None
    except Exception as exc:
        raise _failed(upload, exc) from None


def check_upload(upload: Upload, ruleset: str = "auto", doc_type: str | None = None, pool=None) -> Checked:
    """Check one upload (in `pool`'s worker processes when given); raises `ValueError` with one
    readable line naming the file."""
    if pool is not None:
        result, lines = _guarded(upload, lambda: _in_worker(pool, upload, ruleset, doc_type))
    else:
        result, lines = _guarded(upload, lambda: run_pipeline(upload.data, upload.name, ruleset, doc_type))
    result.source = upload.name
    from compliance.batch.post import postprocess

    result = postprocess(result)  # fingerprints, as the CLI adds them after the engine
    return Checked(id=new_id(), name=upload.name, result=result, lines=lines)


def check_many(uploads: list[Upload], ruleset: str, doc_type: str | None, pool=None) -> tuple[list[Checked], list[InputError]]:
    """Each upload on its own: a bad one becomes an error entry, the others are still checked."""
    done: list[Checked] = []
    errors: list[InputError] = []
    for up in uploads:
        try:
            done.append(check_upload(up, ruleset, doc_type, pool))
        except ValueError as exc:
            errors.append(InputError(source=up.name, error=str(exc)))
    return done, errors


def _checked_json(upload: Upload, ruleset: str, doc_type: str | None, pool) -> tuple[str, float | None]:
    """One upload for the JSON API: the report as `--format json` writes it (indented, with its
    fingerprints) and its total. In a worker, the report comes back as that text: the server
    neither rebuilds the object nor serializes it again (~3 ms of a request's CPU)."""
    if pool is None:
        rep = check_upload(upload, ruleset, doc_type).result
        return rep.model_dump_json(indent=2), rep.score.total
    reply = _guarded(upload, lambda: _in_worker(pool, upload, ruleset, doc_type, raw=True))
    return reply[1], reply[2]


def check_json(uploads: list[Upload], ruleset: str, doc_type: str | None, pool=None) -> bytes:
    """The JSON API's answer: `compliance check --format json` of the uploads (a bad one is an
    error entry), the same bytes as `render_download(make_check_result(...), "json")`."""
    from compliance import __version__
    from compliance.batch.runner import RawReport
    from compliance.models import ToolInfo
    from compliance.render.json import Builder

    b = Builder()
    parts = [b.start()]
    errors: list[InputError] = []
    for up in uploads:
        try:
            text, total = _checked_json(up, ruleset, doc_type, pool)
        except ValueError as exc:
            errors.append(InputError(source=up.name, error=str(exc)))
            continue
        parts.append(b.add(RawReport(up.name, text, total)))
    parts += [b.error(e) for e in errors]
    return ("".join(parts) + b.finish(ToolInfo(version=__version__), errors)).encode("utf-8")


def make_check_result(reports: list[ReportResult], errors: list[InputError]) -> CheckResult:
    """The contract's batch object, as `compliance check --format json` prints it."""
    from compliance.batch.post import build_result

    return build_result([*reports, *errors])  # the CLI's own envelope: both front ends print the same


# --------------------------------------------------------------------------- rendering downloads

MEDIA = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render_download(result: CheckResult, fmt: str, lines: dict[str, list[str]] | None = None) -> bytes:
    """Same renderers as the CLI."""
    import importlib
    import inspect

    if fmt not in MEDIA:
        raise UserError(f"不支持的下载格式：{fmt}", 404)
    mod = importlib.import_module(f"compliance.render.{fmt}")
    opts: dict[str, Any] = {}
    if lines is not None:
        params = inspect.signature(mod.render).parameters
        for key in ("lines", "texts", "report_lines"):
            if key in params:
                opts[key] = lines
                break
    out = mod.render(result, **opts)
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


# --------------------------------------------------------------------------- store


def new_id() -> str:
    return secrets.token_urlsafe(12)


@dataclass
class Batch:
    id: str
    report_ids: list[str]
    errors: list[InputError] = field(default_factory=list)
    ruleset: str = "auto"


class LRU:
    """A small thread-safe LRU: old results fall out, nothing is written to disk. Bounded in
    entries and, when `max_bytes` is given, in the estimated bytes of what it holds."""

    def __init__(self, capacity: int, max_bytes: int | None = None):
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.bytes = 0
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()

    def put(self, key: str, value: Any, size: int = 0) -> None:
        with self._lock:
            if key in self._data:
                self.bytes -= self._sizes.pop(key, 0)
            self._data[key] = value
            self._sizes[key] = size
            self.bytes += size
            self._data.move_to_end(key)
            while len(self._data) > self.capacity or (
                    self.max_bytes is not None and self.bytes > self.max_bytes and len(self._data) > 1):
                old, _ = self._data.popitem(last=False)
                self.bytes -= self._sizes.pop(old, 0)

    def get(self, key: str) -> Any | None:
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def __len__(self) -> int:
        return len(self._data)


def checked_size(item: Checked) -> int:
    """Rough bytes a stored result holds: its JSON and its input lines (str objects, CJK at 2–4
    bytes a character, plus ~50 bytes of object per line), kept by the store's byte bound."""
    text = sum(len(ln) for ln in item.lines)
    return len(item.result.model_dump_json()) + 3 * text + 60 * len(item.lines)


class Store:
    def __init__(self, reports: int = 1000, batches: int = 50, max_bytes: int | None = 256 * 1024 * 1024):
        self.reports = LRU(reports, max_bytes)
        self.batches = LRU(batches)

    def put_report(self, item: Checked) -> None:
        self.reports.put(item.id, item, checked_size(item))
