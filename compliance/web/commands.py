"""CLI commands of this stage (registered by compliance.cli): `compliance serve`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default keeps the app on this machine."),
        port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port to listen on."),
        max_file_mb: float = typer.Option(20, "--max-file-mb", min=0.01, help="Largest accepted upload, per file (MB)."),
        max_files: int = typer.Option(200, "--max-files", min=1, help="Most files in one upload."),
        allow_host: list[str] = typer.Option([], "--allow-host", help="Another Host name clients use to reach this server (repeatable)."),
    ) -> None:
        """Start the local web app: self-check, batch review, rules, and a JSON API (/docs)."""
        import uvicorn
        from loguru import logger

        from compliance.web.app import allowed_hosts, create_app
        from compliance.web.service import Limits

        limits = Limits(max_file_bytes=int(max_file_mb * 1024 * 1024), max_files=max_files,
                        allowed_hosts=allowed_hosts(host, tuple(allow_host)))
        if host not in ("127.0.0.1", "localhost", "::1"):
            logger.warning("serving on {}: anyone who can reach this address can upload reports", host)
        typer.echo(f"compliance web app: http://{'[' + host + ']' if ':' in host else host}:{port}/  (Ctrl+C to stop)", err=True)
        # SIGTERM/Ctrl-C: stop within seconds; a check in progress is cut off (its worker killed)
        uvicorn.run(create_app(limits), host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
