"""A supervised pool of query worker processes, each holding the store open read-only.

Why processes: a pyoxigraph query cannot be interrupted from Python, and oxigraph's own timeout is not read during
sorts (SERVING.md §3.2–3.3). The only hard limit is SIGKILL, so every query runs in a child process that the pool
kills when the deadline passes or the client goes away, then replaces. Answers are complete or absent: the worker
serialises the whole result into memory (up to a byte cap) before a single byte goes to the client.

Wire protocol (stdin/stdout of `python -m rjkg.workers STORE`): each message is a 4-byte big-endian length, a JSON
header of that length, then `header["size"]` raw body bytes (responses only). Jobs are answered in order, so
the app may write several ahead (pipelining, see WorkerPool) and read several answers in one read.

>>> frame({"a": 1})[:4]
b'\\x00\\x00\\x00\\x08'
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import struct
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BYTE_CAP = 50 * 1024 * 1024
CAPPED_STATUS = 422  # a result larger than the cap: documented in serve.py, never a truncated 200


def frame(header: dict | bytes, body: bytes = b"") -> bytes:
    """One message; `header` may already be JSON-encoded (the app encodes each job once, for its cache key too)."""
    data = header if isinstance(header, bytes) else json.dumps(header, ensure_ascii=False).encode()
    return struct.pack(">I", len(data)) + data + body


@dataclass
class Result:
    """One finished query: HTTP status, Content-Type, body; `extra` holds headers such as the cap notice."""

    status: int
    media: str
    body: bytes
    extra: dict[str, str] = field(default_factory=dict)


class Busy(Exception):
    """Every worker is taken and the queue is full (→ 503 + Retry-After)."""


class QueryTimeout(Exception):
    """The query ran past the hard limit; its worker was killed (→ 503 + Retry-After)."""


class QueryTooLarge(Exception):
    """The worker's memory passed the cap while answering; it was killed (→ 503, see serve.py)."""


class ClientGone(Exception):
    """The client disconnected; its worker was killed."""


class WorkerCrashed(Exception):
    """A worker died while answering (→ 503 + Retry-After)."""


# ---------------------------------------------------------------------------------------------- worker process


class _CapExceeded(Exception):
    pass


class _CappedBuffer:
    """A write target for pyoxigraph serialisers that stops the serialiser once `cap` bytes are written."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.size = cap, [], 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _CapExceeded()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _error(status: int, message: str) -> tuple[dict, bytes]:
    return {"status": status, "media": "text/plain", "error": message}, message.encode()


def execute(store, job: dict) -> tuple[dict, bytes]:
    """Run one job on an open store: the whole answer, serialised, or an error with its HTTP status."""
    import pyoxigraph as ox

    kwargs: dict = {}
    try:
        dg, ng = job.get("default_graphs"), job.get("named_graphs")
        if dg is None and ng is None:
            kwargs["use_default_graph_as_union"] = True
        else:  # the protocol dataset replaces FROM/FROM NAMED; what is not given is empty
            kwargs["default_graph"] = [ox.NamedNode(u) for u in dg or []]
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in ng or []]
    except ValueError as err:
        return _error(400, f"invalid graph IRI in default-graph-uri/named-graph-uri: {err}")
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    try:
        result = store.query(job["query"], **kwargs)
    except SyntaxError as err:
        return _error(400, f"SPARQL syntax error: {err}")
    except (OSError, RuntimeError, ValueError, TypeError) as err:
        return _error(400, f"query failed: {err}")
    if isinstance(result, ox.QueryTriples):
        media = job.get("graph_media")
        fmt = ox.RdfFormat.from_media_type(media) if media else None
    else:
        media = job.get("results_media")
        fmt = ox.QueryResultsFormat.from_media_type(media) if media else None
    if fmt is None:
        kind = "graph (CONSTRUCT/DESCRIBE)" if isinstance(result, ox.QueryTriples) else "results (SELECT/ASK)"
        return _error(406, f"none of the requested media types can carry a {kind} answer")
    cap = int(job.get("byte_cap") or DEFAULT_BYTE_CAP)
    out = _CappedBuffer(cap)
    count = None
    try:
        if job.get("count") and isinstance(result, ox.QueryTriples):
            triples = list(result)  # only bounded CONSTRUCTs (resource descriptions) ask for a count
            count = len(triples)
            prefixes = job.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
            if prefixes:  # declare only the namespaces the description uses
                nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
                prefixes = {p: ns for p, ns in prefixes.items() if f"<{ns}" in nt}
            out.write(
                ox.serialize(triples, format=fmt, prefixes=prefixes)
                if prefixes
                else ox.serialize(triples, format=fmt)
            )
        elif isinstance(result, ox.QueryBoolean) and media in ("text/csv", "text/tab-separated-values"):
            line = "true" if bool(result) else "false"
            out.write(f"_askResult\n{line}\n".encode())
        else:
            result.serialize(out, fmt)
    except _CapExceeded:
        head, body = _error(
            CAPPED_STATUS,
            f"the result is larger than the {cap} byte cap; add LIMIT/OFFSET or download a dump",
        )
        head["capped"] = f"bytes={cap}"
        return head, body
    except (OSError, RuntimeError, ValueError) as err:
        return _error(400 if "cancel" not in str(err) else 503, f"query failed: {err}")
    head = {"status": 200, "media": media}
    if count is not None:
        head["count"] = count
    return head, out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Worker process: open the store read-only, then answer jobs from stdin until EOF."""
    import pyoxigraph as ox

    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0])
    # the protocol gets a private copy of fd 1; anything else printing to stdout lands on stderr instead
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    store = ox.Store.read_only(str(path))
    out.write(frame({"ready": True, "pid": os.getpid()}))
    out.flush()
    while True:
        raw = inp.read(4)
        if len(raw) < 4:
            return 0
        (n,) = struct.unpack(">I", raw)
        job = json.loads(inp.read(n))
        try:
            head, body = execute(store, job)
        except Exception as err:  # noqa: BLE001 - a worker must answer, whatever happened
            head, body = _error(500, f"internal error: {type(err).__name__}: {err}")
        head["size"] = len(body)
        out.write(frame(head, body))
        out.flush()


# ---------------------------------------------------------------------------------------------- pool (app side)

PIPELINE_DEPTH = 4  # jobs written ahead to one worker, so it never idles waiting for the app's round trip
PIPELINE_WINDOW = (
    0.01  # only queue behind a query that started this recently (a slow head must not hold others)
)
ABANDON_GRACE = (
    0.25  # a pipelined job whose client left may still finish this quickly before its worker is killed
)


class _Job:
    """One request on its way through the pool: the framed job, its answer future, where it is."""

    __slots__ = ("data", "future", "worker", "abandoned", "timer")

    def __init__(self, data: bytes, future: asyncio.Future):
        self.data, self.future = data, future
        self.worker: Worker | None = None
        self.abandoned = False
        self.timer: asyncio.TimerHandle | None = None


class Worker:
    """One child process, its pipes and the jobs written to it (answered in order, the first one is running)."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.jobs = 0
        self.inflight: deque[_Job] = deque()
        self.head_since = 0.0  # loop time when the running job started
        self.timer: asyncio.TimerHandle | None = None
        self.outbox: list[bytes] = []
        self.dead = False

    @classmethod
    async def spawn(cls, store: Path) -> Worker:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "rjkg.workers",
            str(store),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**20,
        )
        w = cls(proc)
        try:
            raw = await asyncio.wait_for(proc.stdout.readexactly(4), 60)
            head = json.loads(await proc.stdout.readexactly(struct.unpack(">I", raw)[0]))
        except (asyncio.IncompleteReadError, TimeoutError, json.JSONDecodeError) as err:
            w.kill()
            raise WorkerCrashed(f"worker did not start: {err}") from None
        if not head.get("ready"):
            w.kill()
            raise WorkerCrashed(f"worker did not start: {head}")
        return w

    def rss(self) -> int:
        """Resident memory of the worker process in bytes (Linux /proc; 0 when unknown)."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)


class WorkerPool:
    """N workers, a bounded queue, a hard per-query deadline.

    `run(job)` admits at most `max_pending` requests at once (running, written ahead or queued; else Busy) and
    returns the job's Result. Jobs are pipelined: up to PIPELINE_DEPTH are written to a worker whose running query
    started less than PIPELINE_WINDOW ago, so a worker goes from one answer straight to the next query (on a loaded
    host the app's round trip, not the query, limited throughput). The running (first) job of a worker has a hard
    deadline of `timeout` seconds from when it started; when it passes, when the client goes away (`gone`
    completes, or the caller is cancelled), or when the worker's resident memory passes `mem_cap` bytes (0: no cap;
    checked every 0.1 s), the worker is SIGKILLed and replaced in the background, that job fails, and the jobs
    written behind it go back to the front of the queue (queries are read-only, so running them again is safe).
    A job that waits in the queue longer than `timeout` gets Busy.
    """

    def __init__(
        self, store: Path, size: int = 2, timeout: float = 30.0, max_pending: int = 128, mem_cap: int = 0
    ):
        self.store, self.size, self.timeout = Path(store), max(1, size), timeout
        self.max_pending, self.mem_cap = max_pending, mem_cap
        self.depth, self.window = PIPELINE_DEPTH, PIPELINE_WINDOW
        self.workers: list[Worker] = []
        self.queue: deque[_Job] = deque()
        self.pending = 0
        self.kills = 0
        self.started = False
        self._tasks: set[asyncio.Task] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        for w in await asyncio.gather(*(Worker.spawn(self.store) for _ in range(self.size))):
            self._adopt(w)
        if self.mem_cap:
            self._background(self._watch_memory())
        self.started = True

    async def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        for w in list(self.workers):
            w.dead = True
            w.kill()
            for j in w.inflight:
                if not j.future.done():
                    j.future.set_exception(WorkerCrashed("the server is shutting down"))
            w.inflight.clear()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(w.proc.wait(), 5)
        self.workers.clear()
        while self.queue:
            j = self.queue.popleft()
            if not j.future.done():
                j.future.set_exception(WorkerCrashed("the server is shutting down"))

    def _background(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _adopt(self, w: Worker) -> None:
        self.workers.append(w)
        self._background(self._read(w))
        self._drain()

    # ---- answers

    async def _read(self, w: Worker) -> None:
        """Parse answer frames as they arrive (several per read when pipelined) and hand them to their jobs."""
        buf = bytearray()
        need, head = 4, None
        stdout = w.proc.stdout
        try:
            while not w.dead:
                chunk = await stdout.read(1 << 18)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= need:
                    if head is None:
                        n = int.from_bytes(buf[:4], "big")
                        if len(buf) < 4 + n:
                            need = 4 + n
                            break
                        head = json.loads(bytes(buf[4 : 4 + n]))
                        del buf[: 4 + n]
                        need = head.get("size", 0)
                        if len(buf) < need:
                            break
                    body = bytes(buf[:need])
                    del buf[:need]
                    h, head, need = head, None, 4
                    self._answered(w, h, body)
                    if w.dead:
                        return
        except (ConnectionError, json.JSONDecodeError, ValueError, asyncio.IncompleteReadError) as err:
            self._kill(w, WorkerCrashed(str(err)), f"crashed: {err}")
            return
        self._kill(w, WorkerCrashed("the worker exited"), "crashed: it exited")

    def _answered(self, w: Worker, head: dict, body: bytes) -> None:
        if not w.inflight:
            self._kill(w, WorkerCrashed("an answer nobody asked for"), "crashed: unexpected answer")
            return
        j = w.inflight.popleft()
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        w.jobs += 1
        if not j.future.done():
            j.future.set_result((head, body))
        if w.inflight:
            self._start_head(w)
        self._drain()

    # ---- dispatch

    def _start_head(self, w: Worker) -> None:
        """The first job written to `w` is now running: arm its deadline."""
        j = w.inflight[0]
        w.head_since = self._loop.time()
        limit = min(self.timeout, ABANDON_GRACE) if j.abandoned else self.timeout
        w.timer = self._loop.call_later(limit, self._expire, w)

    def _pick(self, now: float) -> Worker | None:
        best = None
        for w in self.workers:
            n = len(w.inflight)
            if n == 0:
                return w
            if (
                n < self.depth
                and now - w.head_since < self.window
                and (best is None or n < len(best.inflight))
            ):
                best = w
        return best

    def _send(self, w: Worker, j: _Job) -> None:
        j.worker = w
        w.inflight.append(j)
        if not w.outbox:  # jobs for one worker in one loop iteration go down the pipe in one write
            self._loop.call_soon(self._flush, w)
        w.outbox.append(j.data)
        if len(w.inflight) == 1:
            self._start_head(w)

    @staticmethod
    def _flush(w: Worker) -> None:
        data, w.outbox = b"".join(w.outbox), []
        if not w.dead:
            w.proc.stdin.write(data)

    def _drain(self) -> None:
        """Move queued jobs to workers while some worker can take one."""
        now = self._loop.time() if self._loop else 0.0
        while self.queue:
            j = self.queue[0]
            if j.future.done():
                self.queue.popleft()
                continue
            w = self._pick(now)
            if w is None:
                return
            self.queue.popleft()
            if j.timer is not None:
                j.timer.cancel()
                j.timer = None
            self._send(w, j)

    def _enqueue(self, j: _Job, front: bool = False) -> None:
        j.worker = None
        (self.queue.appendleft if front else self.queue.append)(j)
        j.timer = self._loop.call_later(self.timeout, self._queue_expired, j)

    def _queue_expired(self, j: _Job) -> None:
        j.timer = None
        if j.worker is None and not j.future.done():
            with contextlib.suppress(ValueError):
                self.queue.remove(j)
            j.future.set_exception(Busy())

    # ---- limits

    def _expire(self, w: Worker) -> None:
        w.timer = None
        if w.dead or not w.inflight:
            return
        if w.inflight[0].abandoned:
            self._kill(w, ClientGone(), "client disconnected")
        else:
            self._kill(w, QueryTimeout(), f"over the {self.timeout:g} s limit")

    async def _watch_memory(self) -> None:
        while True:
            await asyncio.sleep(0.1)
            now = self._loop.time()
            for w in list(self.workers):
                if w.inflight and now - w.head_since >= 0.1 and w.rss() > self.mem_cap:
                    self._kill(w, QueryTooLarge(), f"memory over {self.mem_cap // 2**20} MB")

    def _abandon(self, j: _Job, exc: BaseException | None) -> None:
        """The client of `j` is gone: drop it from the queue, kill its worker if it is running, else mark it."""
        if j.future.done() and j.abandoned:
            return
        w = j.worker
        if w is None or w.dead:
            if j.timer is not None:
                j.timer.cancel()
                j.timer = None
            with contextlib.suppress(ValueError):
                self.queue.remove(j)
        elif w.inflight and w.inflight[0] is j:
            self._kill(w, exc or ClientGone(), "client disconnected")
        elif j in w.inflight:
            j.abandoned = True  # written ahead: it gets ABANDON_GRACE once it starts, its answer is dropped
        if not j.future.done():
            j.future.set_exception(exc or ClientGone())

    def _kill(self, w: Worker, exc: BaseException, why: str) -> None:
        """SIGKILL `w`, fail its running job with `exc`, queue the jobs written behind it again, start a new one."""
        if w.dead:
            return
        print(
            f"rjkg: killed query worker {w.proc.pid} ({why}); starting a new one", file=sys.stderr, flush=True
        )
        w.dead = True
        w.kill()
        self.kills += 1
        if w.timer is not None:
            w.timer.cancel()
            w.timer = None
        with contextlib.suppress(ValueError):
            self.workers.remove(w)
        jobs = list(w.inflight)
        w.inflight.clear()
        if jobs and not jobs[0].future.done():
            jobs[0].future.set_exception(exc)
        for j in reversed(jobs[1:]):
            if not j.future.done() and not j.abandoned:
                self._enqueue(j, front=True)
        self._background(self._respawn(w))
        self._drain()

    async def _respawn(self, w: Worker) -> None:
        with contextlib.suppress(Exception):
            await w.proc.wait()
        for attempt in range(5):
            try:
                nw = await Worker.spawn(self.store)
            except Exception:  # noqa: BLE001 - keep trying; the pool must heal
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            self._adopt(nw)
            return

    # ---- the entry point

    async def run(self, job: dict | bytes, gone: asyncio.Future | None = None) -> Result:
        if self.pending >= self.max_pending:
            raise Busy()
        self.pending += 1
        j = _Job(frame(job), self._loop.create_future())
        on_gone = None
        try:
            w = self._pick(self._loop.time()) if not self.queue else None
            if w is not None:
                self._send(w, j)
            else:
                self._enqueue(j)
            if gone is not None:

                def on_gone(_f: asyncio.Future) -> None:
                    self._abandon(j, ClientGone())

                gone.add_done_callback(on_gone)
            try:
                head, body = await j.future
            except asyncio.CancelledError:
                self._abandon(j, None)
                raise
        finally:
            self.pending -= 1
            if on_gone is not None:
                gone.remove_done_callback(on_gone)
        extra = {"X-RJKG-Result-Capped": head["capped"]} if head.get("capped") else {}
        if "count" in head:
            extra["X-RJKG-Count"] = str(head["count"])
        return Result(head["status"], head.get("media") or "text/plain", body, extra)


if __name__ == "__main__":
    sys.exit(main())
