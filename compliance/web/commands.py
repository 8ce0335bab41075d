"""CLI commands of this stage (registered by compliance.cli): `compliance serve`."""

from __future__ import annotations

import socket
import sys

from typing import Optional

import typer


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the URL is printed: a busy port is a usage error
    (exit 2) said in Chinese, not uvicorn's English traceback after a URL that does not work."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        sys.stderr.write(f"无法识别的地址 {host}（cannot resolve host: {e.strerror or e}）\n")
        raise typer.Exit(2)
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(128)
    except OSError as e:
        sock.close()
        import errno

        if e.errno == errno.EADDRINUSE:
            msg = (f"端口 {port} 已被占用，请换一个端口，例如 --port {port + 1 if port else 8080}"
                   f"（port {port} is already in use）")
        elif e.errno == errno.EACCES:
            msg = f"没有权限使用端口 {port}，请使用 1024 以上的端口（permission denied for port {port}）"
        else:
            msg = f"无法在 {host}:{port} 上启动服务（cannot listen: {e.strerror or e}）"
        sys.stderr.write(msg + "\n")
        raise typer.Exit(2)
    return sock


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只限本机）Address to bind; the default keeps the app on this machine."),
        port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="端口 Port to listen on."),
        max_file_mb: float = typer.Option(20, "--max-file-mb", min=0.01, help="单个上传文件的大小上限（MB）Largest accepted upload, per file (MB)."),
        max_files: int = typer.Option(200, "--max-files", min=1, help="一次上传的文件数上限 Most files in one upload."),
        db: Optional[str] = typer.Option(None, "--db", envvar="COMPLIANCE_DB", help="记录库：SQLite 文件或 postgresql:// 地址 Store of results: a SQLite file or a postgresql:// URL (default: ~/.local/share/compliance/compliance.db)."),
        no_record: bool = typer.Option(False, "--no-record", help="不记录，结果只在内存中（重启即丢失）Keep results in memory only; no 历史 pages."),
        keep_text: bool = typer.Option(False, "--keep-text", help="同时保存报告全文 Keep uploaded report texts in the store too (quotes are always kept)."),
        allow_host: list[str] = typer.Option([], "--allow-host", help="客户端访问本服务所用的其他主机名（可重复）Another Host name clients use to reach this server (repeatable)."),
    ) -> None:
        """启动本机网页版 Start the local web app: self-check, batch review, rules, and a JSON API (/docs)."""
        import uvicorn
        from loguru import logger

        from compliance.web.app import allowed_hosts, create_app
        from compliance.web.service import Limits

        limits = Limits(max_file_bytes=int(max_file_mb * 1024 * 1024), max_files=max_files,
                        allowed_hosts=allowed_hosts(host, tuple(allow_host)))
        records = None
        if not no_record:  # results survive restarts: the store, opened before the port is taken
            from compliance.store import StoreError, open_engine
            from compliance.web.records import Records

            try:
                records = Records(open_engine(db), keep_text=keep_text)
            except StoreError as e:
                sys.stderr.write(f"{e}\n")
                raise typer.Exit(2) from None
        if host not in ("127.0.0.1", "localhost", "::1"):
            logger.warning("serving on {}: anyone who can reach this address can upload reports", host)
        sock = bind(host, port)
        port = sock.getsockname()[1]
        typer.echo(f"合规检查网页已启动 compliance web app: http://{'[' + host + ']' if ':' in host else host}:{port}/"
                   "  （按 Ctrl+C 停止 Ctrl+C to stop）", err=True)
        # SIGTERM/Ctrl-C: stop within seconds; a check in progress is cut off (its worker killed)
        config = uvicorn.Config(create_app(limits, records=records), log_level="warning", timeout_graceful_shutdown=2)
        uvicorn.Server(config).run(sockets=[sock])
