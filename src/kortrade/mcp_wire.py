"""``kortrade mcp``'s stdin and stdout: JSON-RPC 2.0 lines, read no faster than they are answered.

The SDK's stdio transport reads every line as it comes and lets answers queue
without bound: 3,000 calls from a client that read nothing for 30 s took the server
from 67 MiB to 1.3 GB. Here at most :data:`MAX_IN_FLIGHT` requests are read and not
yet answered; past that the server stops reading, the pipe fills, and the client
waits. A line longer than :data:`MAX_LINE` is skipped, so endless input without a
line break (``< /dev/zero``) costs no memory either.

Every line is screened before the SDK sees it: JSON-RPC 2.0 gives a request's ``id``
as a string or a number; one that is not a string or an integer (``1.5``, ``null``,
``true``, ``{}``) gets an Invalid Request error with ``id: null``, as does a line
that is JSON but no message; a line that is not JSON gets a Parse error.

A failed write (the client gone, stdout closed or full) ends the server with
:class:`OutputFailed`: the command says so in one line and exits 74 (EX_IOERR).
EOF on stdin (or stdin closed) ends it cleanly once the requests read are answered.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import json
import os
import stat
import sys
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Final

import anyio
import anyio.from_thread
import anyio.lowlevel
import mcp.types as types
from anyio.abc import ObjectReceiveStream, ObjectSendStream
from mcp.shared.message import ServerMessageMetadata, SessionMessage

from kortrade.mcp_server import OutputFailed

MAX_IN_FLIGHT: Final = 16  # requests read and not yet answered
MAX_LINE: Final = 4 * 2**20  # bytes; a query may be sent at a million characters to be refused politely
CHUNK: Final = 2**14
PARSE_ERROR: Final = -32700
INVALID_REQUEST: Final = -32600


@dataclass(slots=True)
class Wire:
    """The protocol's own descriptors, away from fd 0 and 1 (which point at /dev/null and stderr)."""

    input: int | None  # None: stdin was closed, as good as EOF
    output: int
    saved: tuple[int, int]
    output_flags: int
    # Python's own stdin and stdout, served in place when they are not fd 0 and 1 (a test's CliRunner).
    streams: tuple[Any, Any] | None = None

    def restore(self) -> None:
        """fd 0 and 1 as they were, the output's flags too."""
        if self.streams is not None:
            return
        with contextlib.suppress(OSError):
            fcntl.fcntl(self.output, fcntl.F_SETFL, self.output_flags)
        for fd, saved in zip((0, 1), self.saved, strict=True):
            with contextlib.suppress(OSError):
                os.dup2(saved, fd)
            with contextlib.suppress(OSError):
                os.close(saved)
        for own in (self.input, self.output):
            if own is not None:
                with contextlib.suppress(OSError):
                    os.close(own)


def open_wire() -> Wire:
    """Take stdin and stdout for the protocol. Raises :class:`OutputFailed` if stdout is closed.

    Done first, before the data file is opened: with fd 0 or 1 closed, that file would
    get the number and be read as requests, or written with answers.
    """
    streams = _in_place()
    if streams is not None:
        return Wire(None, -1, (-1, -1), 0, streams)
    from kortrade.streams import closed_at_start

    # A stdout closed at start was given /dev/null when kortrade started (kortrade.streams).
    if closed_at_start(1):
        raise OutputFailed(os.strerror(errno.EBADF))
    try:
        os.fstat(1)
    except OSError as exc:
        raise OutputFailed(exc.strerror or "stdout is closed") from None
    try:
        os.fstat(0)
        stdin_open = True
    except OSError:
        stdin_open = False
    output = fcntl.fcntl(1, fcntl.F_DUPFD_CLOEXEC, 3)
    saved_out = fcntl.fcntl(1, fcntl.F_DUPFD_CLOEXEC, 3)
    if stdin_open:
        input_fd: int | None = fcntl.fcntl(0, fcntl.F_DUPFD_CLOEXEC, 3)
        saved_in = fcntl.fcntl(0, fcntl.F_DUPFD_CLOEXEC, 3)
    else:
        input_fd = None
        saved_in = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)  # lands on 0: it stays there
        saved_in = fcntl.fcntl(saved_in, fcntl.F_DUPFD_CLOEXEC, 3)
    # Whatever else would read stdin gets EOF; whatever would print on stdout goes to stderr,
    # never into the protocol.
    null = os.open(os.devnull, os.O_RDONLY)
    if null != 0:
        os.dup2(null, 0)
        os.close(null)
    try:
        os.dup2(2, 1)
    except OSError:  # stderr closed too
        sink = os.open(os.devnull, os.O_WRONLY)
        if sink != 1:
            os.dup2(sink, 1)
            os.close(sink)
    flags = fcntl.fcntl(output, fcntl.F_GETFL)
    if stat.S_ISFIFO(os.fstat(output).st_mode) or stat.S_ISSOCK(os.fstat(output).st_mode):
        # The client's own pipe: a write that would block waits in the event loop, not in a thread.
        fcntl.fcntl(output, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    return Wire(input_fd, output, (saved_in, saved_out), flags)


def _in_place() -> tuple[Any, Any] | None:
    ins, outs = sys.stdin, sys.stdout
    if ins is None or outs is None or (_backed(ins, 0) and _backed(outs, 1)):
        return None
    return getattr(ins, "buffer", ins), getattr(outs, "buffer", outs)


def _backed(stream: Any, fd: int) -> bool:
    try:
        return bool(stream.fileno() == fd)
    except (AttributeError, OSError, ValueError):
        return False


class InFlight:
    """Requests read and not yet answered (nor settled unanswered, as a cancelled one is)."""

    def __init__(self) -> None:
        self._counts: dict[object, int] = {}
        self.total = 0
        self._changed = anyio.Event()

    def add(self, key: object) -> None:
        self._counts[key] = self._counts.get(key, 0) + 1
        self.total += 1

    def done(self, key: object) -> None:
        count = self._counts.get(key, 0)
        if count == 0:
            return  # an answer to no request read (or one already counted)
        if count == 1:
            del self._counts[key]
        else:
            self._counts[key] = count - 1
        self.total -= 1
        self._changed.set()
        self._changed = anyio.Event()

    async def below(self, limit: int) -> None:
        while self.total >= limit:
            await self._changed.wait()


def request_key(request_id: object) -> object:
    """The SDK's correlation of ids: ``"7"`` and ``7`` are one request."""
    if isinstance(request_id, str):
        with contextlib.suppress(ValueError):
            return int(request_id)
    return request_id


def _is_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def screen(line: bytes) -> SessionMessage | types.ErrorData:
    """The message a line holds, or the error to answer it with (``id: null``)."""
    text = line.decode("utf-8", "replace")
    try:
        found = json.loads(text)
    except ValueError:
        return types.ErrorData(code=PARSE_ERROR, message="Parse error: the line is not JSON")
    if isinstance(found, dict) and "method" in found and "id" in found and not _is_id(found["id"]):
        return types.ErrorData(
            code=INVALID_REQUEST, message="Invalid Request: a request's id must be a string or an integer"
        )
    try:
        message = types.jsonrpc_message_adapter.validate_python(found, by_name=False)
    except ValueError:
        return types.ErrorData(code=INVALID_REQUEST, message="Invalid Request: the line is not a JSON-RPC 2.0 message")
    return SessionMessage(message)


async def lines(wire: Wire) -> AsyncIterator[bytes | None]:
    """Each line of stdin without its line break; None for one longer than :data:`MAX_LINE` (skipped)."""
    if wire.streams is not None:
        stream = wire.streams[0]
        read = getattr(stream, "read1", stream.read)
    elif wire.input is not None:
        read = functools.partial(os.read, wire.input)
    else:
        return
    send, receive = anyio.create_memory_object_stream[bytes](0)
    thread = threading.Thread(target=_read_chunks, args=(read, send, anyio.lowlevel.current_token()), daemon=True)
    # A daemon thread: one blocked in read() when the server ends must not hold up the exit.
    thread.start()
    pending = bytearray()
    skipping = False
    async with receive:
        async for chunk in receive:
            if not chunk:
                break
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                if not skipping:
                    pending += chunk[start:end]
                    yield bytes(pending) if len(pending) <= MAX_LINE else None
                pending.clear()
                skipping = False
                start = end + 1
            if not skipping:
                pending += chunk[start:]
                if len(pending) > MAX_LINE:
                    pending.clear()
                    skipping = True
                    yield None
    if pending:
        yield bytes(pending)  # a last line without its line break


def _read_chunks(read: Callable[[int], bytes], send: ObjectSendStream[bytes], token: Any) -> None:
    """Hand stdin on, one chunk at a time: the next is read only once this one is taken."""
    with contextlib.suppress(Exception):  # the server ended: nobody to hand bytes to
        while True:
            try:
                chunk = read(CHUNK)
            except OSError:
                chunk = b""  # unreadable (EIO, a closed terminal): as EOF
            anyio.from_thread.run(send.send, chunk, token=token)
            if not chunk:
                return


async def write_all(fd: int, data: bytes) -> None:
    """Write every byte, waiting in the loop while the client's pipe is full."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            await anyio.wait_writable(fd)
            continue
        except OSError as exc:
            raise OutputFailed(exc.strerror or type(exc).__name__) from None
        view = view[written:]


async def write_messages(wire: Wire, receive: ObjectReceiveStream[SessionMessage]) -> None:
    async with receive:
        async for item in receive:
            text = item.message.model_dump_json(by_alias=True, exclude_unset=True)
            data = text.encode("utf-8") + b"\n"
            if wire.streams is None:
                await write_all(wire.output, data)
                continue
            try:
                wire.streams[1].write(data)
                wire.streams[1].flush()
            except OSError as exc:
                raise OutputFailed(exc.strerror or type(exc).__name__) from None


async def read_messages(
    wire: Wire,
    to_server: ObjectSendStream[SessionMessage | Exception],
    replies: ObjectSendStream[SessionMessage],
    in_flight: InFlight,
    drain_seconds: float,
) -> None:
    """Hand each request to the server while fewer than MAX_IN_FLIGHT wait; answer bad lines here."""
    async with to_server, replies:
        async for line in lines(wire):
            found = screen(line) if line is not None else _too_long()
            if isinstance(found, types.ErrorData):
                await replies.send(SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=None, error=found)))
                continue
            message = found.message
            if isinstance(message, types.JSONRPCRequest):
                await in_flight.below(MAX_IN_FLIGHT)
                key = request_key(message.id)
                in_flight.add(key)
                found = SessionMessage(message, ServerMessageMetadata(on_request_unanswered=_settler(in_flight, key)))
            await to_server.send(found)
        # EOF: the SDK would cancel what is still running; requests already read are answered first.
        with anyio.move_on_after(drain_seconds):
            await in_flight.below(1)


def _too_long() -> types.ErrorData:
    return types.ErrorData(code=INVALID_REQUEST, message=f"Invalid Request: the line is longer than {MAX_LINE} bytes")


def _settler(in_flight: InFlight, key: object) -> Any:
    async def settled() -> None:
        in_flight.done(key)

    return settled


class Replies:
    """The server's side of stdout: a request counts as answered once its answer is taken to be written."""

    def __init__(self, stream: ObjectSendStream[SessionMessage], in_flight: InFlight) -> None:
        self._stream = stream
        self._in_flight = in_flight

    async def send(self, item: SessionMessage, /) -> None:
        message = item.message
        answered = isinstance(message, types.JSONRPCResponse | types.JSONRPCError) and message.id is not None
        try:
            await self._stream.send(item)
        finally:  # sent, or cancelled while waiting: either way it no longer holds a place
            if answered:
                self._in_flight.done(request_key(message.id))  # type: ignore[union-attr]

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def __aenter__(self) -> Replies:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def first_failure(error: BaseException) -> OutputFailed | None:
    """The :class:`OutputFailed` in an exception group from the task group, if any."""
    if isinstance(error, OutputFailed):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = first_failure(inner)
            if found is not None:
                return found
    return None
