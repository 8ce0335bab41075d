"""Reading and writing files a user or an attacker may have pointed us at.

`read_regular` reads only a regular file, never more than a limit: a FIFO would block forever,
/dev/zero never ends, and a symlink to either looks like a file name. `Output` writes a result so
that the final path never holds a torn file: a regular (or new) path gets `FILE.part`, created
exclusively without following symlinks and renamed when complete; a device or FIFO (/dev/null,
/dev/stdout, a pipe) is written in place, never replaced. A write that fails (a full disk) removes
the partial file and raises `OutputError`, one line fit for users (exit 2).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import IO


class NotRegularError(OSError):
    """The path exists but is not a regular file (a FIFO, a device, a directory, a socket)."""


class TooLargeError(OSError):
    """A regular file above the limit the caller gave."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether `path` (symlinks followed) is a regular file; never blocks."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (symlinks to regular files followed).

    Raises FileNotFoundError/PermissionError/OSError as `open` does, `NotRegularError` for anything
    else than a regular file (checked on the open descriptor: O_NONBLOCK keeps a FIFO from blocking
    the open), `TooLargeError` above `limit` (counted while reading, not trusted from stat)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularError(errno.EINVAL, f"{_kind(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise TooLargeError(errno.EFBIG, f"{st.st_size} bytes, above the {limit}-byte limit")
        chunks: list[bytes] = []
        got = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > limit:  # the file grew while we read it
                raise TooLargeError(errno.EFBIG, f"more than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_regular(path: str | os.PathLike[str], limit: int, what: str) -> str:
    """A UTF-8 text file read with `read_regular`; any problem is a `ValueError` naming `what`
    in one line (callers add `file:line:` and turn it into their own error)."""
    try:
        data = read_regular(path, limit)
    except FileNotFoundError:
        raise ValueError(f"cannot read {what}: no such file") from None
    except (NotRegularError, TooLargeError) as e:
        raise ValueError(f"cannot read {what}: {e.strerror}") from None
    except OSError as e:
        raise ValueError(f"cannot read {what}: {e.strerror or e}") from None
    if b"\x00" in data[:65536]:
        raise ValueError(f"cannot read {what}: binary data (NUL bytes), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ValueError(f"line {line}: cannot read {what}: not UTF-8 text (byte 0x{data[e.start]:02x})") from None


# --------------------------------------------------------------------------- writing


class OutputError(Exception):
    """An output that could not be written completely; `str()` is one line (exit 2)."""


def _fail(path: Path, e: OSError) -> OutputError:
    why = "磁盘已满 disk full (no space left on device)" if e.errno == errno.ENOSPC else (e.strerror or str(e))
    return OutputError(f"无法写入输出文件 cannot write output: {path}: {why}")


class Output:
    """A file result written completely or not at all.

    `open()` returns a binary file object; `commit()` makes the result visible at `path`; `abort()`
    removes whatever was written. `keep_partial` (jsonl) writes at the final path directly, so a
    reader sees lines as they come; a failed write there removes the file too."""

    def __init__(self, path: str | os.PathLike[str], *, keep_partial: bool = False) -> None:
        self.path = Path(path)
        self.keep_partial = keep_partial
        self.in_place = False
        self.tmp: Path | None = None
        self.fh: IO[bytes] | None = None

    def open(self) -> IO[bytes]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise _fail(self.path, e) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"无法写入输出文件 cannot write output: {self.path}: 是一个文件夹 is a directory")
        if st is not None and not stat.S_ISREG(st.st_mode):
            # /dev/null, /dev/stdout, a FIFO: write into it; replacing it would break the machine
            self.in_place = True
            try:
                fd = os.open(self.path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError as e:
                raise _fail(self.path, e) from None
        else:
            self.tmp = self.path if self.keep_partial else self.path.with_name(self.path.name + ".part")
            fd = self._create(self.tmp)
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def _create(self, target: Path) -> int:
        """Create `target` exclusively, never through a symlink: a stale one (a symlink planted
        where our `.part` goes, or our own left from a killed run) is unlinked, not followed."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        for _ in range(3):
            try:
                return os.open(target, flags, 0o666)
            except FileExistsError:
                try:
                    os.unlink(target)  # removes a symlink itself, never its target
                except FileNotFoundError:
                    pass
                except OSError as e:
                    raise _fail(target, e) from None
            except OSError as e:
                raise _fail(target, e) from None
        raise OutputError(f"无法写入输出文件 cannot write output: {target}: the file keeps reappearing")

    def write(self, data: bytes) -> None:
        assert self.fh is not None
        try:
            self.fh.write(data)
        except OSError as e:
            self.abort()
            raise _fail(self.path, e) from None

    def flush(self) -> None:
        assert self.fh is not None
        try:
            self.fh.flush()
        except OSError as e:
            self.abort()
            raise _fail(self.path, e) from None

    def commit(self) -> None:
        """Flush, sync and move into place; on failure nothing is left at the final path."""
        fh, self.fh = self.fh, None
        if fh is None:
            return
        try:
            fh.flush()
            if not self.in_place:
                os.fsync(fh.fileno())  # a full disk may only show here (delayed allocation)
            fh.close()
        except OSError as e:
            self.fh = fh
            self.abort()
            raise _fail(self.path, e) from None
        if self.tmp is not None and self.tmp != self.path:
            try:
                os.replace(self.tmp, self.path)  # replaces a symlink at the final path, never its target
            except OSError as e:
                self._unlink()
                raise _fail(self.path, e) from None

    def abort(self, *, keep: bool = False) -> None:
        """Drop what was written (`keep`: leave an in-place jsonl's whole lines, as after Ctrl-C)."""
        fh, self.fh = self.fh, None
        if fh is not None:
            try:
                fh.close()
            except OSError:
                pass
        if not keep:
            self._unlink()

    def _unlink(self) -> None:
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass


def write_output(path: str | os.PathLike[str], data: bytes | str) -> None:
    """The whole of `data` at `path`, or (on OutputError) nothing there."""
    out = Output(path)
    out.open()
    out.write(data.encode("utf-8") if isinstance(data, str) else data)
    out.commit()


# --------------------------------------------------------------------------- YAML

MAX_CONFIG_BYTES = 8 * 1024 * 1024  # a ruleset, waivers or baseline file read whole (a ruleset is ~100 KB)
_LOADER = None


def yaml_loader():
    """libyaml's safe loader, except that an impossible date (`2026-02-30`) is a marked YAML error
    (file:line) instead of a ValueError from deep inside the constructor."""
    global _LOADER
    if _LOADER is None:
        import yaml
        from yaml.constructor import ConstructorError, SafeConstructor

        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        def timestamp(loader, node):
            try:
                return SafeConstructor.construct_yaml_timestamp(loader, node)
            except (ValueError, OverflowError) as e:
                raise ConstructorError(None, None, f"impossible date {node.value!r} ({e})", node.start_mark) from None

        Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
        _LOADER = Loader
    return _LOADER
