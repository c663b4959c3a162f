"""A supervised pool of query worker processes, each holding the store open read-only.

Why processes: a pyoxigraph query cannot be interrupted from Python, and oxigraph's own timeout is not read during
sorts (SERVING.md §3.2–3.3). The only hard limit is SIGKILL, so every query runs in a child process that the pool
kills when the deadline passes or the client goes away, then replaces. Answers are complete or absent: the worker
serialises the whole result into memory (up to a byte cap) before a single byte goes to the client.

Wire protocol (stdin/stdout of `python -m rjkg.workers STORE`): each message is a 4-byte big-endian length, a JSON
header of that length, then `header["size"]` raw body bytes (responses only).

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
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BYTE_CAP = 50 * 1024 * 1024
CAPPED_STATUS = 422  # a result larger than the cap: documented in serve.py, never a truncated 200


def frame(header: dict, body: bytes = b"") -> bytes:
    data = json.dumps(header, ensure_ascii=False).encode()
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


class Worker:
    """One child process and its pipes."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.jobs = 0

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
        head, _ = await asyncio.wait_for(w.read(), 60)
        if not head.get("ready"):
            raise WorkerCrashed(f"worker did not start: {head}")
        return w

    async def read(self) -> tuple[dict, bytes]:
        raw = await self.proc.stdout.readexactly(4)
        (n,) = struct.unpack(">I", raw)
        head = json.loads(await self.proc.stdout.readexactly(n))
        body = await self.proc.stdout.readexactly(head.get("size", 0)) if head.get("size") else b""
        return head, body

    def rss(self) -> int:
        """Resident memory of the worker process in bytes (Linux /proc; 0 when unknown)."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def send(self, job: dict) -> None:
        self.proc.stdin.write(frame(job))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)


class WorkerPool:
    """N workers, a bounded queue, a hard per-query deadline.

    `run(job)` waits for a free worker (at most `max_pending` requests may wait or run at once, else Busy), sends
    the job, and returns its Result; after `timeout` seconds, as soon as `gone` completes (client disconnect), or
    when the worker's resident memory passes `mem_cap` bytes (0: no cap; checked every 0.1 s), the worker is
    SIGKILLed and replaced in the background.
    """

    def __init__(
        self, store: Path, size: int = 2, timeout: float = 30.0, max_pending: int = 128, mem_cap: int = 0
    ):
        self.store, self.size, self.timeout = Path(store), max(1, size), timeout
        self.max_pending, self.mem_cap = max_pending, mem_cap
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.pending = 0
        self.kills = 0
        self.started = False
        self._tasks: set[asyncio.Task] = set()
        self._all: set[Worker] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(Worker.spawn(self.store) for _ in range(self.size)))
        for w in workers:
            self._all.add(w)
            self.idle.put_nowait(w)
        self.started = True

    async def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._all):
            w.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(w.proc.wait(), 5)
        self._all.clear()

    def _replace(self, w: Worker, why: str = "") -> None:
        if why:
            print(
                f"rjkg: killed query worker {w.proc.pid} ({why}); starting a new one",
                file=sys.stderr,
                flush=True,
            )
        w.kill()
        self.kills += 1
        self._all.discard(w)

        async def respawn() -> None:
            with contextlib.suppress(Exception):
                await w.proc.wait()
            for attempt in range(5):
                try:
                    nw = await Worker.spawn(self.store)
                except Exception:  # noqa: BLE001 - keep trying; the pool must heal
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                self._all.add(nw)
                self.idle.put_nowait(nw)
                return

        task = asyncio.create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: dict, gone: asyncio.Future | None = None) -> Result:
        if self.pending >= self.max_pending:
            raise Busy()
        self.pending += 1
        try:
            try:
                w = await asyncio.wait_for(self.idle.get(), self.timeout)
            except TimeoutError:
                raise Busy() from None
            reader = asyncio.ensure_future(w.read())
            over_memory = False
            try:
                w.send(job)
                waiting = {reader} | ({gone} if gone is not None else set())
                loop = asyncio.get_running_loop()
                deadline = loop.time() + self.timeout
                done: set = set()
                while not done:
                    left = deadline - loop.time()
                    if left <= 0:
                        break
                    step = min(left, 0.1) if self.mem_cap else left  # watch memory while the query runs
                    done, _ = await asyncio.wait(waiting, timeout=step, return_when=asyncio.FIRST_COMPLETED)
                    if not done and self.mem_cap and w.rss() > self.mem_cap:
                        over_memory = True
                        break
            except BaseException:
                reader.cancel()
                self._replace(w)
                raise
            if reader not in done:
                reader.cancel()
                if gone is not None and gone in done:
                    self._replace(w, "client disconnected")
                    raise ClientGone()
                if over_memory:
                    self._replace(w, f"memory over {self.mem_cap // 2**20} MB")
                    raise QueryTooLarge()
                self._replace(w, f"over the {self.timeout:g} s limit")
                raise QueryTimeout()
            try:
                head, body = reader.result()
            except (asyncio.IncompleteReadError, ConnectionError, json.JSONDecodeError) as err:
                self._replace(w, f"crashed: {err}")
                raise WorkerCrashed(str(err)) from None
            w.jobs += 1
            self.idle.put_nowait(w)
            extra = {"X-RJKG-Result-Capped": head["capped"]} if head.get("capped") else {}
            if "count" in head:
                extra["X-RJKG-Count"] = str(head["count"])
            return Result(head["status"], head.get("media") or "text/plain", body, extra)
        finally:
            self.pending -= 1


if __name__ == "__main__":
    sys.exit(main())
