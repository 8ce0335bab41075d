"""What a checking process may use: its CPUs, a cap on its memory, and its end with the parent.

Shared by the batch workers (`compliance.batch.runner`) and the web app's workers.
"""

from __future__ import annotations

import os

from loguru import logger


def die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when the main process dies (even by SIGKILL); otherwise it
    stays blocked on the task queue forever, since it holds that pipe's write end too."""
    import signal

    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux, or no prctl: best effort
        pass


DEFAULT_MEMORY_MB = 1024


def memory_limit_mb() -> int:
    """Address space one checking process may use; `COMPLIANCE_MAX_MEMORY_MB` overrides 1024 (0 = none)."""
    raw = os.environ.get("COMPLIANCE_MAX_MEMORY_MB", "").strip()
    if raw:
        try:
            value = int(raw)
            if value >= 0:
                return value
        except ValueError:
            pass
        logger.warning(f"ignoring COMPLIANCE_MAX_MEMORY_MB={raw!r}: not a whole number of MB")
    return DEFAULT_MEMORY_MB


def limit_memory(mb: int | None = None) -> None:
    """Cap this process's address space (RLIMIT_AS), so a decompression bomb ends in MemoryError
    in this worker instead of the machine swapping. A worker forked from a big process (a test
    runner) already maps more: it gets 256 MB on top of what it has."""
    mb = memory_limit_mb() if mb is None else mb
    if not mb:
        return
    try:
        import resource

        current = 0
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = max(mb * 1024 * 1024, current + 256 * 1024 * 1024)
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError) as exc:  # not Linux: the wall-clock limit still holds
        logger.debug("cannot limit memory: {}", exc)


def cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
