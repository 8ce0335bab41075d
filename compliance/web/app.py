"""The local web app: a bureau's self-check, an inspector's batch review, the rules in force,
and a JSON API that returns exactly what `compliance check --format json` prints.

Everything runs on this machine with no network: templates and assets ship in the package, and
FastAPI's Swagger page (CDN assets) is replaced by a plain page generated from `/openapi.json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from loguru import logger
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from compliance import labels
from compliance.web import service, view
from compliance.web.service import (
    DOC_TYPE_CHOICES,
    MEDIA,
    Batch,
    Checked,
    Limits,
    Store,
    Upload,
    UserError,
    check_json,
    check_many,
    display_name,
    make_check_result,
    new_id,
    render_download,
    supported_extensions,
    validate_choice,
)

HERE = Path(__file__).parent
PASTE_NAME = "粘贴文本.txt"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

API_FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "报告文件（可多个）"},
                        "text": {"type": "string", "description": "直接粘贴的报告全文"},
                        "ruleset": {"type": "string", "default": "auto", "description": "auto 或已安装的规则集名"},
                        "doc_type": {"type": "string", "enum": list(DOC_TYPE_CHOICES), "description": "覆盖自动识别的文档类型"},
                    },
                }
            }
        },
    }
}


class _Form:
    """What one POST carried, already size-checked."""

    def __init__(self, uploads: list[Upload], ruleset: str, doc_type: str | None):
        self.uploads = uploads
        self.ruleset = ruleset
        self.doc_type = doc_type


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


async def _read_form(request: Request, limits: Limits, *, allow_text: bool = True) -> _Form:
    """Parse a multipart form with our limits; uploads are read into memory, temp files closed."""
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data") and not ctype.startswith("application/x-www-form-urlencoded"):
        raise UserError("请求须为 multipart/form-data（上传文件）或表单")
    uploads: list[Upload] = []
    try:
        async with request.form(max_files=limits.max_files + 1, max_fields=50, max_part_size=limits.max_text_chars * 4) as form:
            files = [v for k, v in form.multi_items() if k in ("files", "file") and not isinstance(v, str)]
            files = [f for f in files if f.filename]  # an empty file input posts a nameless part
            if len(files) > limits.max_files:
                raise UserError(f"上传文件过多：每次最多 {limits.max_files} 个", 413)
            for f in files:
                name = display_name(f.filename)
                data = await f.read(limits.max_file_bytes + 1)
                if len(data) > limits.max_file_bytes:
                    raise UserError(f"{name}: 文件过大（上限 {_mb(limits.max_file_bytes)}）", 413)
                uploads.append(Upload(name=name, data=data))
            text = form.get("text") if allow_text else None
            ruleset = form.get("ruleset")
            doc_type = form.get("doc_type")
    except HTTPException as exc:  # starlette's own multipart limits
        detail = str(exc.detail)
        if "Too many files" in detail:
            raise UserError(f"上传文件过多：每次最多 {limits.max_files} 个", 413) from None
        if "maximum size" in detail:
            raise UserError(f"粘贴的文本过长（上限 {limits.max_text_chars} 字）", 413) from None
        raise UserError(f"表单无法解析：{detail}") from None
    if isinstance(text, str) and text.strip():
        if len(text) > limits.max_text_chars:
            raise UserError(f"粘贴的文本过长（上限 {limits.max_text_chars} 字）", 413)
        if len(uploads) >= limits.max_files:
            raise UserError(f"上传文件过多：每次最多 {limits.max_files} 个", 413)
        uploads.append(Upload(name=PASTE_NAME, data=text.encode("utf-8")))
    if not uploads:
        raise UserError("请上传报告文件或粘贴报告全文" if allow_text else "请选择要上传的报告文件")
    rs, dt = validate_choice(ruleset if isinstance(ruleset, str) else None, doc_type if isinstance(doc_type, str) else None)
    return _Form(uploads, rs, dt)


def _attachment(data: bytes, fmt: str, stem: str) -> Response:
    fname = f"{stem}.{fmt}"
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in fname)
    disp = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(fname)}"
    return Response(content=data, media_type=MEDIA[fmt], headers={"Content-Disposition": disp})


class _CountBody:
    """Caps a request body sent without Content-Length (chunked): the form parser sees a
    `UserError` once the limit is passed, before the rest reaches the temp files."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise UserError(f"上传内容过大（单次请求上限 {_mb(self.limit)}）", 413)
            return message

        await self.app(scope, counted, send)


def _host_of(value: str) -> str:
    """`example.org:8000` → `example.org`, `[::1]:8000` → `::1` (lower case)."""
    v = value.strip().lower()
    if v.startswith("["):
        return v[1 : v.find("]")] if "]" in v else v
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


def _refuse(request: Request, limits: Limits) -> str:
    """Why a request is refused before it is read, or ""."""
    host = _host_of(request.headers.get("host", ""))
    if limits.allowed_hosts is not None and host not in limits.allowed_hosts:
        return f"Host 不被接受：{host or '（空）'}（Host header not served here）"
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        site = request.headers.get("sec-fetch-site", "")
        origin = request.headers.get("origin")
        if site == "cross-site":
            return "拒绝跨站提交（cross-origin request refused）"
        if origin and origin != "null":
            from urllib.parse import urlsplit

            if (urlsplit(origin).netloc or "").lower() != request.headers.get("host", "").strip().lower():
                return "拒绝跨站提交（cross-origin request refused）"
        elif origin == "null" and site != "same-origin":
            # our pages send no Referer (Referrer-Policy: no-referrer), so the browser's own form
            # posts carry Origin: null; Sec-Fetch-Site, which a page cannot forge, tells them apart
            return "拒绝跨站提交（cross-origin request refused）"
    return ""


def allowed_hosts(bind: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Host header values a server bound to `bind` answers: the loopback names for a loopback bind;
    the address itself for one address; this machine's names and addresses for 0.0.0.0/::."""
    import socket

    hosts = {_host_of(h) for h in extra}
    loopback = {"localhost", "127.0.0.1", "::1"}
    b = bind.strip("[]").lower()
    if b in loopback or b.startswith("127."):
        return tuple(sorted(hosts | loopback | {b}))
    hosts.add(b)
    if b in ("0.0.0.0", "::", ""):
        hosts |= loopback
        for name in {socket.gethostname(), socket.getfqdn()}:
            hosts.add(name.lower())
            try:
                hosts |= {str(info[4][0]).lower() for info in socket.getaddrinfo(name, None)}
            except OSError:
                pass
    return tuple(sorted(hosts))


def create_app(limits: Limits | None = None, store: Store | None = None, records=None) -> FastAPI:
    """`records`: a compliance.web.records.Records (the store): results are recorded and survive
    restarts, and the 历史 and 达标率 pages are on. Without it results live in `store` only."""
    limits = limits or Limits()
    store = store or Store(max_bytes=limits.store_bytes)
    from compliance import __version__
    from compliance.web.workers import CheckPool, pool_size

    n_workers = pool_size() if limits.workers is None else limits.workers
    pool = CheckPool(n_workers, limits.check_timeout) if n_workers > 0 else None  # started on first use

    app = FastAPI(
        title="compliance — 法治政府建设报告检查",
        version=__version__,
        description="与命令行 `compliance check --format json` 相同的检查与输出。",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /docs below is local
        redoc_url=None,
    )
    app.state.limits = limits
    app.state.store = store
    app.state.pool = pool
    if pool is not None:
        app.router.on_startup.append(pool.start)  # workers ready (rulesets compiled) before the first upload
        app.router.on_shutdown.append(pool.close)  # SIGTERM: stop checks at once, not after them
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        STATUS_ZH=labels.STATUS_ZH,
        SEVERITY_ZH=labels.SEVERITY_ZH,
        DOC_TYPE_ZH=labels.DOC_TYPE_ZH,
        POLARITY_ZH=labels.POLARITY_ZH,
        version=__version__,
        ruleset_label=view.ruleset_label,
        records_on=records is not None,
        records_text=records is not None and records.keep_text,
    )
    env.filters["web_warning"] = view.web_warning
    env.filters["score"] = labels.fmt_score
    env.filters["num"] = labels.fmt_num
    templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def form_ctx(**extra: Any) -> dict[str, Any]:
        return {
            "rulesets": service.available_rulesets(),
            "doc_types": DOC_TYPE_CHOICES,
            "extensions": supported_extensions(),
            "limits": limits,
            "max_file_mb": _mb(limits.max_file_bytes),
            **extra,
        }

    def error_page(request: Request, message: str, status: int) -> HTMLResponse:
        return page(request, "error.html", status, message=message, code=status)

    app.add_middleware(_CountBody, limit=limits.max_request_bytes)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Refuse a foreign Host (DNS rebinding), cross-origin POSTs (another site's form posting
        here) and oversized bodies before parsing them; send safety headers with every answer."""
        length = request.headers.get("content-length")
        refused = _refuse(request, limits)
        if refused:
            resp: Response = JSONResponse({"detail": refused}, 403 if "Host" not in refused else 400)
        elif length and length.isdigit() and int(length) > limits.max_request_bytes:
            msg = f"上传内容过大（单次请求上限 {_mb(limits.max_request_bytes)}，单个文件上限 {_mb(limits.max_file_bytes)}）"
            resp = JSONResponse({"detail": msg}, 413) if request.url.path.startswith("/api/") else error_page(request, msg, 413)
        else:
            resp = await call_next(request)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    # ------------------------------------------------------------------ self-check

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        return page(request, "index.html", **form_ctx())

    @app.post("/check", include_in_schema=False)
    async def check_page(request: Request):
        try:
            form = await _read_form(request, limits)
            if len(form.uploads) > 1:
                raise UserError("自查一次只检查一份报告；多份请使用“批量审查”")
            done, errors = await run_in_threadpool(check_many, form.uploads, form.ruleset, form.doc_type, pool)
        except UserError as exc:
            return page(request, "index.html", exc.status, error=exc.message, **form_ctx())
        if errors:
            return page(request, "index.html", 422, error=errors[0].error, **form_ctx())
        store.put_report(done[0])
        if records is not None:
            await run_in_threadpool(records.save, done, [], form.ruleset)
        logger.info("checked {} → {}", done[0].name, done[0].result.score.total)
        return RedirectResponse(f"/r/{done[0].id}", status_code=303)

    def _get_report(rid: str) -> Checked:
        item = store.reports.get(rid)
        if item is None and records is not None:
            item = records.report(rid)
        if item is None:
            raise UserError("找不到这份检查结果（可能已过期或服务已重启），请重新上传。", 404)
        return item

    @app.get("/r/{rid}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, rid: str):
        try:
            item = _get_report(rid)
        except UserError as exc:
            return error_page(request, exc.message, exc.status)
        result = item.result
        lines, anchors = view.highlight(result, item.lines)
        return page(
            request,
            "report.html",
            item=item,
            r=result,
            findings=view.findings(result),
            met=view.met_rules(result),
            na=view.not_applicable(result),
            bars=view.family_bars(result),
            grade_level=view.report_level(result),
            lines=lines,
            anchors=anchors,
            batch_id=item.batch_id,
        )

    @app.get("/r/{rid}/download.{fmt}", include_in_schema=False)
    def report_download(request: Request, rid: str, fmt: str):
        try:
            item = _get_report(rid)
            data = render_download(make_check_result([item.result], []), fmt, {item.result.source: item.lines})
        except UserError as exc:
            return error_page(request, exc.message, exc.status)
        return _attachment(data, fmt, Path(item.name).stem or "report")

    # ------------------------------------------------------------------ batch

    @app.get("/batch", response_class=HTMLResponse, include_in_schema=False)
    def batch_form(request: Request):
        return page(request, "batch_form.html", **form_ctx())

    @app.post("/batch", include_in_schema=False)
    async def batch_post(request: Request):
        try:
            form = await _read_form(request, limits, allow_text=False)
            done, errors = await run_in_threadpool(check_many, form.uploads, form.ruleset, form.doc_type, pool)
        except UserError as exc:
            return page(request, "batch_form.html", exc.status, error=exc.message, **form_ctx())
        batch = Batch(id=new_id(), report_ids=[c.id for c in done], errors=errors, ruleset=form.ruleset)
        for c in done:
            c.batch_id = batch.id
            store.put_report(c)
        store.batches.put(batch.id, batch)
        if records is not None:
            await run_in_threadpool(records.save, done, errors, form.ruleset, batch.id)
        logger.info("batch {}: {} checked, {} failed", batch.id, len(done), len(errors))
        return RedirectResponse(f"/b/{batch.id}", status_code=303)

    def _get_batch(bid: str) -> tuple[Batch, list[Checked]]:
        batch = store.batches.get(bid)
        if batch is not None and records is not None and any(store.reports.get(r) is None for r in batch.report_ids):
            batch = None  # some results left the memory: the store has them all
        if batch is None and records is not None:
            got = records.batch(bid)
            if got is not None:
                return got
        if batch is None:
            raise UserError("找不到这个批次（可能已过期或服务已重启），请重新上传。", 404)
        items = [store.reports.get(rid) for rid in batch.report_ids]
        if any(i is None for i in items):
            raise UserError("这个批次的部分结果已过期，请重新上传。", 410)
        return batch, items  # type: ignore[return-value]

    @app.get("/b/{bid}", response_class=HTMLResponse, include_in_schema=False)
    def batch_page(request: Request, bid: str):
        try:
            batch, items = _get_batch(bid)
        except UserError as exc:
            return error_page(request, exc.message, exc.status)
        results = [i.result for i in items]
        check = make_check_result(results, batch.errors)
        return page(
            request,
            "batch.html",
            batch=batch,
            summary=check.summary,
            rows=view.ranking([(i.id, i.result) for i in items]),
            rates=view.pass_rates(results),
            families=view.families(results),
            errors=batch.errors,
            flags=records.flags([i.id for i in items]) if records is not None else {},
        )

    @app.get("/b/{bid}/download.{fmt}", include_in_schema=False)
    def batch_download(request: Request, bid: str, fmt: str):
        try:
            batch, items = _get_batch(bid)
            check = make_check_result([i.result for i in items], batch.errors)
            data = render_download(check, fmt, {i.result.source: i.lines for i in items})
        except UserError as exc:
            return error_page(request, exc.message, exc.status)
        return _attachment(data, fmt, "batch")

    if records is not None:
        from compliance.web.records import add_routes

        add_routes(app, records, page, error_page, _attachment)

    # ------------------------------------------------------------------ rules

    @app.get("/rules", response_class=HTMLResponse, include_in_schema=False)
    def rules_page(request: Request, ruleset: str | None = None):
        names = service.available_rulesets()
        chosen = ruleset or ("national" if "national" in names else (names[0] if names else None))
        if chosen is not None and chosen not in names:
            return error_page(request, f"未知的规则集：{chosen}", 404)
        rs, error = None, None
        if chosen is not None:
            try:
                from compliance.rules.load import load_ruleset

                rs = load_ruleset(chosen)
            except Exception as exc:
                logger.warning("ruleset {} failed to load: {}", chosen, exc)
                error = f"规则集 {chosen} 无法加载：{' '.join(str(exc).split())[:300]}"
        rules = []
        for compiled in (getattr(rs, "rules", None) or []) if rs is not None else []:
            rule = getattr(compiled, "rule", compiled)  # CompiledRule wraps the schema's Rule
            rules.append(
                {
                    "rule": rule,
                    "origin": getattr(compiled, "origin", None),
                    "disabled": getattr(compiled, "disabled", None) or getattr(rule, "disabled", None),
                }
            )
        return page(request, "rules.html", names=names, chosen=chosen, rs=rs, rules=rules, error=error)

    # ------------------------------------------------------------------ API

    @app.post(
        "/api/check",
        summary="检查报告（与 compliance check --format json 相同的输出）",
        openapi_extra=API_FORM_SCHEMA,
        responses={200: {"description": "CheckResult（契约 JSON）"}, 400: {"description": "请求错误"}, 413: {"description": "超出大小或数量限制"}},
    )
    async def api_check(request: Request):
        try:
            form = await _read_form(request, limits)
            data = await run_in_threadpool(check_json, form.uploads, form.ruleset, form.doc_type, pool)
        except UserError as exc:
            return JSONResponse({"detail": exc.message}, exc.status)
        return Response(content=data, media_type="application/json")

    @app.get("/api/rulesets", summary="已安装的规则集")
    def api_rulesets() -> dict:
        return {"rulesets": ["auto", *service.available_rulesets()], "doc_types": list(DOC_TYPE_CHOICES), "extensions": list(supported_extensions())}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request):
        spec = app.openapi()
        ops = []
        for path, methods in spec.get("paths", {}).items():
            for method, op in methods.items():
                props = op.get("requestBody", {}).get("content", {}).get("multipart/form-data", {}).get("schema", {}).get("properties", {})
                params = [{"name": p["name"], "in": p.get("in"), "description": p.get("description", "")} for p in op.get("parameters", [])]
                ops.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""), "fields": props, "params": params})
        return page(request, "apidocs.html", ops=ops, limits=limits, max_file_mb=_mb(limits.max_file_bytes))

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception):
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": "Not Found"}, 404)
        return error_page(request, "页面不存在。", 404)

    return app


def __getattr__(name: str):
    """`compliance.web.app:app` for `uvicorn compliance.web.app:app`."""
    if name == "app":
        return create_app()
    raise AttributeError(name)

