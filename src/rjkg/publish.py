"""`rjkg publish`: upload every named graph of graph/ to another SPARQL store with the Graph Store HTTP Protocol.

Why PUT per graph: PUT replaces a graph, so running publish twice leaves the target exactly as after once
(idempotent), and a failure part-way is repaired by running it again. Each PUT is retried with exponential backoff on
connection errors and 5xx answers; a 4xx is a configuration problem (URL, credentials) and stops at once with a
message saying what to fix. Afterwards the triple count of every graph is read back through the SPARQL endpoint and
compared with what was sent.

The graphs are those of graph/rjkg.nq plus graph/void.ttl in the meta graph — the same dataset `rjkg serve` loads.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pyoxigraph as ox

from rjkg import config
from rjkg.errors import InputError, RjkgError
from rjkg.vocab import G_META

RETRY_STATUSES = {500, 502, 503, 504, 429}


def _graph_store_url(endpoint: str, graph_store: str | None) -> str:
    if graph_store:
        return graph_store
    parts = urlsplit(endpoint)
    if parts.path.endswith("/query"):  # oxigraph: /query, /update, /store
        return parts._replace(path=parts.path[: -len("/query")] + "/store", query="", fragment="").geturl()
    raise InputError(
        f"cannot tell the Graph Store Protocol URL from the endpoint {endpoint!r}",
        where="--graph-store",
        hint="pass it explicitly, e.g. --graph-store http://host:7878/store (oxigraph) or http://host:3030/ds/data (Fuseki)",
    )


def _check_url(url: str, option: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"not an http(s) URL: {url!r}", where=option, hint="e.g. http://127.0.0.1:7878/query"
        )


def _auth(auth: str | None) -> tuple[str, str] | None:
    if auth is None:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user:
        raise InputError("expected user:password", where="--auth", hint="e.g. --auth admin:secret")
    return user, password


def load_graphs(graph_dir: Path) -> dict[str, list[ox.Triple]]:
    """{graph IRI: triples} from graph/rjkg.nq and graph/void.ttl ("" is the default graph)."""
    nq = graph_dir / "rjkg.nq"
    if not nq.is_file():
        raise InputError(
            f"no rjkg.nq in {graph_dir}",
            where="--graph",
            hint="run `rjkg build` first or point --graph at a built graph",
        )
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            graphs.setdefault(name, []).append(q.triple)
        void = graph_dir / "void.ttl"
        if void.is_file():
            graphs.setdefault(str(G_META), []).extend(
                q.triple for q in ox.parse(path=str(void), format=ox.RdfFormat.TURTLE)
            )
    except SyntaxError as err:
        raise InputError(
            f"cannot parse the dump: {err}", where=str(nq), hint="rebuild it with `rjkg build`"
        ) from err
    return {g: sorted(set(ts), key=str) for g, ts in graphs.items()}


def _put(client: httpx.Client, url: str, body: bytes, *, retries: int, backoff: float) -> int:
    """PUT with retries; returns the status. 4xx → InputError; 5xx/connection errors after retries → RjkgError."""
    last = ""
    for attempt in range(retries + 1):
        try:
            r = client.put(url, content=body, headers={"Content-Type": "application/n-triples"})
        except httpx.TransportError as err:
            last = f"connection failed: {err}"
        else:
            if r.status_code < 300:
                return r.status_code
            if r.status_code not in RETRY_STATUSES:
                hint = {401: "check --auth", 403: "check --auth and that the store is writable", 404: "check --graph-store",
                        405: "check --graph-store (it must accept PUT)", 413: "raise the store's upload limit"}  # fmt: skip
                raise InputError(
                    f"PUT {url} → {r.status_code} {r.reason_phrase}: {r.text[:300].strip()}",
                    where="--graph-store",
                    hint=hint.get(r.status_code, "check the target store's configuration"),
                )
            last = f"{r.status_code} {r.reason_phrase}: {r.text[:200].strip()}"
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    raise RjkgError(
        f"PUT {url} failed after {retries + 1} attempts: {last}", hint="is the target store up? retry later"
    )


def _remote_counts(client: httpx.Client, endpoint: str) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = client.post(endpoint, data={"query": q}, headers={"Accept": "application/sparql-results+json"})
    if r.status_code != 200:
        raise RjkgError(
            f"could not verify through {endpoint}: {r.status_code} {r.text[:200]}", where="--endpoint"
        )
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def publish(
    graph_dir: Path,
    endpoint: str,
    graph_store: str | None = None,
    auth: str | None = None,
    *,
    retries: int = 4,
    backoff: float = 0.5,
    verify: bool = True,
    log=None,
) -> dict[str, int]:
    """PUT every graph; return {graph IRI: triples sent}. Raises InputError/RjkgError with what to fix."""
    _check_url(endpoint, "--endpoint")
    gsp = _graph_store_url(endpoint, graph_store)
    _check_url(gsp, "--graph-store")
    graphs = load_graphs(Path(graph_dir))
    sent: dict[str, int] = {}
    sep = "&" if "?" in gsp else "?"
    with httpx.Client(auth=_auth(auth), timeout=120) as client:
        for name in sorted(graphs):
            url = f"{gsp}{sep}default" if name == "" else f"{gsp}{sep}graph={quote(name, safe='')}"
            body = ox.serialize(graphs[name], format=ox.RdfFormat.N_TRIPLES)
            _put(client, url, body, retries=retries, backoff=backoff)
            sent[name] = len(graphs[name])
            if log:
                log(f"PUT {name or '(default graph)'}: {sent[name]} triples")
        if verify:
            remote = _remote_counts(client, endpoint)
            wrong = {g: (n, remote.get(g, 0)) for g, n in sent.items() if g and remote.get(g, 0) != n}
            if wrong:
                lines = ", ".join(f"{g}: sent {a}, store has {b}" for g, (a, b) in sorted(wrong.items()))
                raise RjkgError(f"the target store does not hold what was sent: {lines}", where="--endpoint")
    return sent


def publish_cli(
    *, endpoint: str, graph_store: str | None = None, auth: str | None = None, graph: Path | None = None
) -> int:
    """`rjkg publish`: upload, verify, print a one-line summary."""
    graph_dir = Path(graph) if graph else config.GRAPH_DIR
    sent = publish(graph_dir, endpoint, graph_store, auth, log=lambda m: print(m, file=sys.stderr))
    print(
        f"published {len(sent)} graphs, {sum(sent.values())} triples to {graph_store or endpoint} (verified)"
    )
    return 0
