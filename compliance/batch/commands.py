"""CLI commands of the batch stage: `check`, `compare`, `schema` (registered by compliance.cli).

Heavy imports stay inside the command bodies so `compliance --help` starts fast."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

FORMAT_NAMES = ("table", "json", "jsonl", "markdown", "html", "sarif", "junit", "csv", "xlsx", "docx")

OutFormat = Enum("OutFormat", {n: n for n in FORMAT_NAMES}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    critical = "critical"
    major = "major"
    minor = "minor"


class DocTypeOpt(str, Enum):
    annual_report = "annual_report"
    work_summary = "work_summary"
    self_inspection = "self_inspection"
    plan = "plan"
    fair_competition_report = "fair_competition_report"
    shufa_report = "shufa_report"


CHECK_HELP = """检查报告 Check reports against a ruleset.

PATH 可以是文件、文件夹（递归查找报告文件，跳过 Markdown）或通配符。
PATH may be files, folders (searched recursively for report files; Markdown is skipped) or globs.

退出码：0 已检查且达到阈值；1 低于 --fail-under 或触发 --fail-on；2 用法或配置错误；3 有文件无法读取（3 优先于 1）。
Exit codes: 0 checked and thresholds held; 1 a threshold (--fail-under, --fail-on) was breached;
2 usage or configuration error (bad option, invalid ruleset or waivers file, no input found);
3 at least one input could not be read — 3 wins over 1 when both happen.

The JSON output's schema: `compliance schema`. CI recipes: docs/ci.md.

Waived findings stay visible but never fail --fail-on; for --fail-under a waived finding counts as
met (its points are added back for the comparison only).
"""


# Seconds per file: every file is checked in a worker process with this wall-clock limit and an
# address-space limit (COMPLIANCE_MAX_MEMORY_MB); a report takes ~10 ms, a 20 MB one seconds.
DEFAULT_TIMEOUT = 20.0


def no_input_message(paths: list[str], missing: list[str]) -> str:
    """Why `check` found nothing to check: a path that does not exist, or folders without reports."""
    from compliance.batch.inputs import scan_extensions

    lines = []
    gone = [m for m in missing if not Path(m).exists()]
    if gone:
        lines.append("找不到文件 file not found: " + ", ".join(gone))
    empty = [p for p in paths if p not in gone]
    if empty:
        lines.append("没有可检查的报告文件 no report files in: " + ", ".join(empty)
                     + f"（文件夹中只检查 {' '.join(scan_extensions())}；其他文件请直接写出文件名）")
    return "\n".join(lines)


def _known_rule_tokens(ruleset: str) -> set[str]:
    """Rule ids and families of the ruleset (every available ruleset with auto), upper case."""
    from compliance.rules.load import available_rulesets, load_ruleset

    names = list(available_rulesets()) if ruleset == "auto" else [ruleset]
    out: set[str] = set()
    for name in names:
        try:
            rs = load_ruleset(name)
        except Exception:  # reported as a ruleset error later
            continue
        for cr in rs.rules:
            out.add(cr.rule.id.upper())
            out.add(cr.rule.family.upper())
    return out


def _titled(title: str, err: object) -> str:
    """`title: the error` on one line, or the title above a file:line: field: problem list."""
    text = str(err).strip()
    return f"{title}:\n{text}" if "\n" in text else f"{title}: {text}"


def _fail(msg: str, code: int = 2) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    raise typer.Exit(code)


def _stdout_write(data: str | bytes) -> None:
    from compliance.safeio import OutputError

    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    except OSError as e:
        import errno

        why = "磁盘已满 disk full (no space left on device)" if e.errno == errno.ENOSPC else (e.strerror or str(e))
        raise OutputError(f"无法写入输出 cannot write output: stdout: {why}") from None


class _Sink:
    """Output written as reports arrive: whatever the format's builder gives at once (json, jsonl
    and csv stream; the others keep each report's small part and give the document at the end).
    A file is written through `safeio.Output`: `FILE.part` renamed when complete (jsonl: FILE
    itself, one complete line at a time; a device or FIFO in place), so an interrupted run or a
    failed write never leaves a truncated file under the real name."""

    def __init__(self, fmt: str, output: Path | None, opts: dict | None = None) -> None:
        from compliance.render import builder
        from compliance.safeio import Output

        self.builder = builder(fmt, **(opts or {}))
        self.fmt = fmt
        self.output = output
        self.out = Output(output, keep_partial=fmt == "jsonl") if output is not None else None
        if self.out is not None:
            self.out.open()
        self.errors: list = []
        self._put(self.builder.start())

    @property
    def takes_raw(self) -> bool:
        """Whether a worker's JSON text will do (most formats need the report object)."""
        return self.builder.takes_raw

    def _put(self, data: str | bytes, flush: bool = False) -> None:
        if not data:
            return
        if self.out is None:
            _stdout_write(data)
            return
        self.out.write(data.encode("utf-8") if isinstance(data, str) else data)
        if flush:
            self.out.flush()

    def report(self, item) -> None:
        """A ReportResult, or a worker's RawReport when `takes_raw`."""
        self._put(self.builder.add(item), flush=self.fmt == "jsonl")

    def error(self, err) -> None:
        self.errors.append(err)
        self._put(self.builder.error(err), flush=self.fmt == "jsonl")

    def close(self, completed: bool) -> None:
        if not completed:  # interrupted: jsonl keeps its whole lines, the others leave nothing
            if self.out is not None:
                self.out.abort(keep=self.fmt == "jsonl" and self.out.fh is not None)
            return
        from compliance import __version__
        from compliance.models import ToolInfo

        self._put(self.builder.finish(ToolInfo(version=__version__), self.errors))
        if self.out is not None:
            self.out.commit()


def _run(files, missing, job, jobs, raw, sink, errors, breached, waiver_list, base, fail_under, fail_on, progress,
         task, select=(), ignore=(), strict=False, recorder=None) -> None:
    """The batch loop: each item to the sink (and the store, with --record) as it comes, in input order."""
    from compliance.batch.policy import breaches
    from compliance.batch.post import build_result, postprocess
    from compliance.batch.runner import RawReport, Recordable, input_error, iter_batch
    from compliance.models import InputError

    for item in iter_batch(files, job, jobs, raw=raw):
        rec = None
        if isinstance(item, Recordable):
            rec, item = item, item.item
        if isinstance(item, InputError):
            errors.append(item)
            sink.error(item)
            if recorder is not None:
                recorder.error(item)
        else:
            if not isinstance(item, RawReport):
                item = postprocess(item, waiver_list, base)
                if select or ignore:
                    from compliance.batch.select import apply

                    item = apply(item, select, ignore)
            if recorder is not None and rec is not None:
                _record(recorder, item, rec, rebuild=bool(waiver_list) or base is not None or bool(select or ignore))
            sink.report(item)
            if (fail_under is not None or fail_on is not None or strict) and not isinstance(item, RawReport):
                breached.extend(breaches(build_result([item]), fail_under, fail_on.value if fail_on else None, strict))
        if progress is not None:
            progress.update(task, advance=1, description=item.source)
    for m in missing:
        err = input_error(m, "no such file or directory")
        errors.append(err)
        sink.error(err)
        if recorder is not None:
            recorder.error(err)


def check(
    paths: Optional[list[str]] = typer.Argument(
        None, metavar="PATH...", help="文件、文件夹或通配符（默认：配置中的 include）Files, folders or globs (default: the config's include)."),
    ruleset: Optional[str] = typer.Option(None, "--ruleset", "-r", help="规则集 Ruleset: auto | national | zhejiang | … | FILE.yaml [default: auto]"),
    fmt: Optional[OutFormat] = typer.Option(None, "--format", "-f", help="输出格式 Output format [default: table]."),  # type: ignore[valid-type]
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是屏幕 Write to FILE instead of stdout."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=100, help="任一报告低于此分数时退出码为 1 Exit 1 if any report scores below SCORE."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="出现该严重程度及以上的未豁免差距时退出码为 1 Exit 1 on any non-waived finding of this severity or worse."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=0,
        help="并行进程数 Worker processes (0 = one per CPU; default: 1 below 16 files, else one per CPU up to 8)."),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", min=0,
        help="单个文件的检查时限（秒）Seconds one file may take before it is stopped and listed as an error (default 20; 0 = no "
             "limit, and with --jobs 1 files are then checked in this process, without the memory limit)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度和提示 No progress bar and no notes on stderr."),
    doc_type: Optional[DocTypeOpt] = typer.Option(None, "--doc-type", help="指定文件类型（不自动识别）Override the detected document type."),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用缓存 Do not read or write .compliance-cache/."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="豁免清单（YAML）YAML file of waived findings."),
    ignore_waivers: bool = typer.Option(False, "--ignore-waivers", help="忽略豁免清单 Show every finding as not waived."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线（上次的 JSON 输出）：标出新增、持续、已解决 A previous --format json output: mark findings new/persisting/resolved."),
    select: Optional[list[str]] = typer.Option(
        None, "--select", help="只检查这些规则：编号（可用 FCR-*）、类别或严重程度，逗号分隔 Only these rules: ids (patterns), families or severities, comma-separated."),
    ignore: Optional[list[str]] = typer.Option(
        None, "--ignore", help="不检查这些规则（同 --select 的写法，优先于它）Leave these rules out (as --select; wins over it)."),
    strict: Optional[bool] = typer.Option(
        None, "--strict/--no-strict", help="不是法治政府建设报告（类型 other）的文件也算未通过 A document that is not a rule-of-law report (type other) fails the gate (exit 1)."),
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True,
        help="表格中列出依据和整改建议（-vv 另显示调试信息）Table: show basis and remediation of each finding (-vv: debug log)."),
    config: Optional[Path] = typer.Option(
        None, "--config", help="配置文件（默认向上查找 compliance.toml 或 pyproject.toml 的 [tool.compliance]）Config file (default: found upward)."),
    record: bool = typer.Option(False, "--record", help="记录到记录库 Record each report in the store (--db) as it is checked."),
    db: Optional[str] = typer.Option(None, "--db", envvar="COMPLIANCE_DB", help="记录库：SQLite 文件或 postgresql:// 地址 Store: a SQLite file or a postgresql:// URL (default: ~/.local/share/compliance/compliance.db)."),
    keep_text: bool = typer.Option(False, "--keep-text", help="同时保存报告全文（引文总会保存）With --record: keep the report text in the store too (quotes are always kept)."),
) -> None:
    from compliance.batch.inputs import collect_inputs
    from compliance.safeio import OutputError
    from compliance.batch.runner import Job, RulesetLoadError, input_error, iter_batch, validate_ruleset  # noqa: F401

    from compliance.config import ConfigError, ProjectConfig, excluded, find_config, load_config

    try:
        cfg = load_config(config) if config is not None else find_config()
    except ConfigError as e:
        _fail(str(e))
    cfg = cfg or ProjectConfig.model_validate({})
    # a flag given on the command line wins over the config file
    if ruleset is None:
        rs_cfg = cfg.ruleset or "auto"
        ruleset = (cfg.resolve(rs_cfg) or rs_cfg) if rs_cfg.endswith((".yaml", ".yml")) else rs_cfg
    fmt_name = (fmt.value if isinstance(fmt, Enum) else str(fmt)) if fmt is not None else (cfg.format or "table")
    if fail_under is None:
        fail_under = cfg.fail_under
    if fail_on is None and cfg.fail_on:
        fail_on = FailOn(cfg.fail_on)
    if strict is None:
        strict = bool(cfg.strict)
    if waivers is None and cfg.waivers:
        waivers = Path(cfg.resolve(cfg.waivers) or cfg.waivers)
    if baseline is None and cfg.baseline:
        baseline = Path(cfg.resolve(cfg.baseline) or cfg.baseline)
    if jobs is None:
        jobs = cfg.jobs
    if timeout is None:
        timeout = cfg.timeout
    from compliance.batch import select as selection

    sel = selection.parse(select) if select else selection.parse(cfg.select)
    ign = selection.parse(ignore) if ignore else selection.parse(cfg.ignore)
    if sel or ign:
        try:
            selection.check_tokens(sel + ign, _known_rule_tokens(ruleset))
        except selection.SelectionError as e:
            _fail(str(e))
    if not paths:
        paths = [cfg.resolve(p) or p for p in cfg.include]
        if not paths:
            _fail("缺少要检查的文件 no PATH given: name files or folders, or set include in [tool.compliance]")

    if fmt_name in ("xlsx", "docx") and output is None and sys.stdout.isatty():
        _fail(f"--format {fmt_name} 生成的是文件，请用 -o 指定文件名 writes a binary file: give -o FILE.{fmt_name} (or pipe stdout to a file)")

    files, missing = collect_inputs(paths)
    if cfg.exclude:
        cfg_dir = cfg.path.parent if cfg.path else None
        files = [f for f in files if not excluded(f, cfg.exclude, cfg_dir)]
    if not files:
        _fail(no_input_message(paths, missing))

    waiver_list = []
    if waivers is not None and not ignore_waivers:
        from compliance.batch.waivers import WaiverError, load_waivers

        try:
            waiver_list = load_waivers(waivers)
        except WaiverError as e:
            _fail(_titled("豁免清单有误 invalid waivers file", e))
    base = None
    if baseline is not None:
        from compliance.batch.baseline import Baseline, BaselineError

        try:
            base = Baseline.load(baseline)
        except BaselineError as e:
            _fail(_titled("基线文件有误 invalid baseline", e))

    import os

    if jobs is None:
        from compliance.batch.runner import auto_jobs

        jobs = auto_jobs(len(files))
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    job = Job(
        ruleset=ruleset,
        doc_type=doc_type.value if doc_type else None,
        use_cache=not no_cache,
        cache_dir=os.environ.get("COMPLIANCE_CACHE_DIR"),
        timeout=timeout or None,
        record=record,
        keep_text=record and keep_text,
    )
    recorder = _open_recorder(db, ruleset, keep_text) if record else None

    from compliance.batch.runner import all_cached

    if not all_cached(files, job):
        try:
            validate_ruleset(ruleset)
        except RulesetLoadError as e:
            _fail(_titled("规则集无法使用 invalid ruleset", e))  # RulesetError: one "file:line: field: problem" line per error

    from dataclasses import replace

    from compliance.batch.policy import exit_code
    from compliance.batch.post import build_result
    from compliance.models import InputError

    opts: dict = {}
    line_reader = None
    if fmt_name == "html":  # the text view: each input read again, with the checks' limits
        from compliance.batch.runner import LineReader

        opts["lines"] = line_reader = LineReader(timeout or None)
    if verbose > 1:
        from compliance.log import setup_logging

        setup_logging(verbose - 1)
    if fmt_name == "table":
        opts["detail"] = verbose > 0
        opts["color"] = output is None and sys.stdout.isatty()
        if opts["color"]:
            import shutil

            opts["width"] = shutil.get_terminal_size((120, 40)).columns
    # No format keeps the report objects: each builder keeps only its own part of each report
    try:
        sink = _Sink(fmt_name, output, opts)
    except OutputError as e:
        _fail(str(e))
    if sink.takes_raw:
        job = replace(job, indent=sink.builder.raw_indent)

    errors: list[InputError] = []
    breached: list[str] = []  # judged report by report: no report is kept
    progress = None
    task = None
    if not quiet and sys.stderr.isatty() and len(files) > 3:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("检查中 checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=Console(stderr=True), transient=True,
        )
        progress.start()
        task = progress.add_task("", total=len(files))

    # nothing downstream needs the report objects: stream the workers' JSON as they sent it
    raw = (sink.takes_raw and not waiver_list and base is None and fail_under is None and fail_on is None
           and not (sel or ign or strict))
    completed = False
    try:
        try:
            _run(files, missing, job, jobs, raw, sink, errors, breached, waiver_list, base, fail_under, fail_on,
                 progress, task, sel, ign, strict, recorder)
            completed = True
        finally:
            if progress is not None:
                progress.stop()
            try:
                sink.close(completed)
            finally:
                if line_reader is not None:
                    line_reader.close()
            if recorder is not None:
                recorder.close(completed)
    except OutputError as e:
        _fail(str(e))
    if recorder is not None and not quiet:
        for note in recorder.notes:
            sys.stderr.write(note + "\n")
        sys.stderr.write(f"已记录 recorded {recorder.n_reports} 份报告 in {recorder.where}\n")

    if not quiet:
        for err in errors if (fmt_name != "table" or output is not None) else ():  # a terminal table lists them
            sys.stderr.write(f"{err.source}: {err.error}\n")
        for b in breached:
            sys.stderr.write(b + "\n")
    code = exit_code(build_result(errors), breached)
    if code:
        raise typer.Exit(code)


def _open_recorder(db: str | None, ruleset: str, keep_text: bool):
    """The store for `--record`, opened (and upgraded) before any report is checked. Reports are
    written a group at a time (store.records.Recorder); resubmissions and copies are noted as
    their group is written."""
    from compliance.batch.cache import ruleset_hash
    from compliance.store import Recorder, StoreError, open_engine, resolve_url
    from compliance.store.records import GROUP

    notes: list[str] = []

    def note(got) -> None:
        if got.version > 1 and not got.same_text:
            notes.append(f"{got.source}: 重新提交，第 {got.version} 版 (resubmission, version {got.version})")
        if got.dup_of_id is not None:
            notes.append(f"{got.source}: 疑似雷同，{got.dup_share * 100:.0f}% 的句子与已记录的报告 {got.dup_of_id} 相同 "
                         f"(near-duplicate of a recorded report)")

    try:
        engine = open_engine(db)
        rec = Recorder(engine, origin="cli", ruleset=ruleset, ruleset_hash=ruleset_hash(ruleset), keep_text=keep_text,
                       group=GROUP, on_recorded=note)
    except StoreError as e:
        _fail(str(e))
    from sqlalchemy.engine import make_url

    rec.where = make_url(resolve_url(db)).render_as_string()  # type: ignore[attr-defined]
    rec.notes = notes  # type: ignore[attr-defined]
    return rec


def _record(recorder, item, rec, rebuild: bool) -> None:
    """One report into the store: the worker's rows, or rows built from the object when it was
    checked in this process or changed here (waivers, baseline)."""
    from compliance.store.records import Rows

    if rec.rows is not None and not rebuild:
        recorder.report(Rows(rec.rows[0], rec.rows[1]), rec.extra)
    else:
        recorder.report(item, rec.extra)


def schema(
    ruleset: bool = typer.Option(False, "--ruleset", help="Print the JSON Schema of a ruleset YAML file instead "
                                 "(compliance/schema/ruleset.schema.json; for `# yaml-language-server: $schema=…`)."),
) -> None:
    """输出 JSON 格式说明 Print the JSON Schema of `check --format json` output (also shipped as
    compliance/schema/check-output.schema.json), or with --ruleset that of a ruleset file."""
    if ruleset:
        from compliance.rules.schema import ruleset_schema_text

        sys.stdout.write(ruleset_schema_text())
        return
    from compliance.batch.post import output_schema_text

    sys.stdout.write(output_schema_text())


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.command("check", help=CHECK_HELP)(check)
    from compliance.batch.compare import compare

    app.command("compare")(compare)
    app.command("schema")(schema)
