"""The endpoint's fast paths keep the exact behaviour of what they replace.

- `http_fast.parse_query_string` (percent decoding in C) must equal the stdlib's `parse_qsl` that Starlette uses;
- the coalescing protocol must send each answer whole, in one write, and still close after `Connection: close`;
- pipelining in `workers.WorkerPool`: a job written behind a query that is killed at its deadline is run again on
  the replacement worker and answered, not failed.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rjkg.http_fast import parse_query_string
from rjkg.workers import QueryTimeout, WorkerPool
from test_serve_fixture import FIXTURE, Server, fixture_store  # noqa: F401 - fixture_store is a fixture
from test_serve_safety import CARTESIAN_ORDER_BY

CASES = Path(__file__).resolve().parent / "fixtures" / "serve" / "query_strings.txt"


def _cases() -> list[bytes]:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [line.encode("latin-1") for line in lines if not line.startswith("#")]


def test_query_string_cases_found():
    assert len(_cases()) == 16


@pytest.mark.parametrize("raw", _cases())
def test_query_string_like_stdlib(raw):
    assert parse_query_string(raw) == parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


PIECES = [
    *"ab=&+%_2F;.~ é\n\x7f",
    "%2",
    "%zz",
    "%41",
    "%e2%82%ac",
    "%C3",
    "=3D",
    "%5F",
    "%2b",
    "%0A",
    "%%",
    "%4",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_query_string_like_stdlib_generated(text):
    raw = text.encode()
    assert parse_query_string(raw) == parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


# ------------------------------------------------------------------------------------------------ one write


@pytest.fixture(scope="module")
def server(fixture_store):  # noqa: F811
    srv = Server(FIXTURE, fixture_store, "--no-pages", timeout=5.0, workers=1)
    yield srv
    srv.stop()


def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    """Send `request`; return the first recv and everything until the server closes or the answer is whole."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        first = sock.recv(1 << 20)
        rest = b""
        head, _, body = first.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.lower().split(b"\r\n")
                if line.startswith(b"content-length")
            ),
            None,
        )
        while length is None or len(body) + len(rest) < length:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            rest += chunk
        return first, rest


def test_answer_leaves_in_one_write(server):
    req = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n\r\n"
    first, rest = _raw(server.port, req)
    head, _, body = first.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert rest == b"", "headers and body arrived in separate writes"
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_connection_close_still_delivers_the_body(server):
    req = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    first, rest = _raw(server.port, req)
    body = (first + rest).partition(b"\r\n\r\n")[2]
    assert json.loads(body)["boolean"] is True


# ------------------------------------------------------------------------------------------------ pipelining


def test_job_behind_a_killed_query_is_run_again(fixture_store):  # noqa: F811
    async def scenario():
        pool = WorkerPool(fixture_store, size=1, timeout=1.5)
        await pool.start()
        pool.window = 60.0  # let the cheap job be written behind the heavy one on the only worker
        try:
            media = {"results_media": "application/sparql-results+json"}
            heavy = asyncio.ensure_future(pool.run({"query": CARTESIAN_ORDER_BY, **media}))
            await asyncio.sleep(0.05)
            cheap = asyncio.ensure_future(pool.run({"query": "ASK { ?s ?p ?o }", **media}))
            await asyncio.sleep(0.05)
            written_ahead = sum(len(w.inflight) for w in pool.workers)
            with pytest.raises(QueryTimeout):
                await heavy
            result = await asyncio.wait_for(cheap, 30)
            return written_ahead, result, pool.kills
        finally:
            await pool.close()

    written_ahead, result, kills = asyncio.run(scenario())
    assert written_ahead == 2
    assert result.status == 200 and json.loads(result.body)["boolean"] is True
    assert kills == 1
