"""A small clamd client: INSTREAM over a Unix socket (CLAMD_SOCKET) or TCP (CLAMD_URL).

The PyPI `clamd` package is unmaintained; the protocol is a few lines. Neither setting set means
no antivirus (the embedded default); a configured clamd that cannot answer is an error, never a
clean result.
"""

import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings

CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = 30


class AntivirusUnavailable(Exception):
    """clamd is configured but unreachable, or answered with an error."""


def is_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_URL)


def _connect() -> socket.socket:
    if settings.CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address = settings.CLAMD_SOCKET
    else:
        url = urlsplit(settings.CLAMD_URL)
        if url.scheme != "tcp" or not url.hostname:
            raise AntivirusUnavailable(f"CLAMD_URL must look like tcp://host:3310, not {url!r}")
        address = (url.hostname, url.port or 3310)
        sock = socket.socket(socket.AF_INET6 if ":" in url.hostname else socket.AF_INET)
    sock.settimeout(TIMEOUT_SECONDS)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock


def _command(command: bytes, chunks=None) -> str:
    """Send one z-command (then the chunks of a stream, if any); return clamd's reply."""
    try:
        with _connect() as sock:
            try:
                sock.sendall(b"z" + command + b"\0")
                if chunks is not None:
                    for chunk in chunks:
                        sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                    sock.sendall(struct.pack("!L", 0))
            except BrokenPipeError:
                pass  # clamd stops reading on an error (e.g. size limit): its reply says which
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:
        raise AntivirusUnavailable(f"clamd: {exc}") from exc
    return reply.rstrip(b"\0").decode("utf-8", "replace")


def ping() -> bool:
    return _command(b"PING") == "PONG"


def scan(fileobj) -> str | None:
    """Stream a file to clamd: None when clean, the threat name when infected.

    Raises AntivirusUnavailable when clamd cannot be reached or reports an error (size limit
    exceeded, unreadable database, ...).
    """
    fileobj.seek(0)
    chunks = iter(lambda: fileobj.read(CHUNK_BYTES), b"")
    try:
        reply = _command(b"INSTREAM", chunks)
    finally:
        fileobj.seek(0)
    # "stream: OK", "stream: <threat> FOUND" or "<message> ERROR"
    result = reply.removeprefix("stream:").strip()
    if result == "OK":
        return None
    if result.endswith(" FOUND"):
        return result.removesuffix(" FOUND").strip()
    raise AntivirusUnavailable(f"clamd: {reply}")
