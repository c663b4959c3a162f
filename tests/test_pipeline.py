"""`rjkg build` end to end with a stand-in extractor (tests/fixtures/build): layers, files, determinism, failures,
the per-document cache, and exit codes. The real extractor is exercised by test_graph_fresh.py.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SKOS

from rjkg import pipeline, store
from rjkg.errors import BuildError, InputError
from rjkg.vocab import G_CURATED, G_INFERRED, G_META, G_ONTOLOGY, NS, RJKG, doc_graph

FIX = Path(__file__).resolve().parent / "fixtures" / "build"
sys.path.insert(0, str(FIX))
import standin  # noqa: E402

SEEDS = sorted((FIX / "seeds").glob("*.txt"))
assert len(SEEDS) == 3, f"expected 3 stand-in documents, found {len(SEEDS)}"


def curated() -> Graph:
    g = Graph()
    g.add((NS["state"]["japan"], RDF.type, RJKG.State))
    g.add((NS["state"]["japan"], SKOS.prefLabel, Literal("Япония", lang="ru")))
    return g


def run_build(tmp: Path, seeds: Path | None = None, **kw) -> pipeline.BuildResult:
    kw.setdefault("jobs", 2)
    return pipeline.build(
        seeds or FIX / "seeds",
        tmp / "graph",
        cache_dir=tmp / "cache",
        extractor=standin.extract,
        curated=curated,
        ontology_file=FIX / "ontology" / "rjkg.ttl",
        shapes_file=FIX / "ontology" / "shapes.ttl",
        **kw,
    )


def copy_seeds(tmp: Path) -> Path:
    dst = tmp / "seeds"
    shutil.copytree(FIX / "seeds", dst)
    return dst


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, pipeline.BuildResult]:
    tmp = tmp_path_factory.mktemp("built")
    return tmp / "graph", run_build(tmp)


def test_publishes_every_file(built):
    out, result = built
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    expected = {"rjkg.nq", "rjkg.trig", "rjkg.ttl", "ontology.ttl", "curated.ttl", "inferred.ttl", "void.ttl"}
    expected |= {"SHA256SUMS"} | {f"doc/{p.stem}.ttl" for p in SEEDS}
    assert names == expected
    assert result.published == 3 and result.documents == 3 and not result.failures


def test_named_graphs_and_layers(built):
    out, _ = built
    st = store.open_memory(out)
    graphs = {g.value for g in st.named_graphs()}
    expected = {str(G_ONTOLOGY), str(G_CURATED), str(G_INFERRED), str(G_META)}
    expected |= {str(doc_graph(p.stem)) for p in SEEDS}
    assert graphs == expected


def test_inferred_holds_entailments_and_no_asserted_triple(built):
    out, _ = built
    st = store.open_memory(out)
    inf = ox.NamedNode(str(G_INFERRED))
    lavrov = ox.NamedNode(str(NS["person"]["sergey-lavrov"]))
    actor = ox.NamedNode(str(RJKG.Actor))
    assert list(st.quads_for_pattern(lavrov, ox.NamedNode(str(RDF.type)), actor, inf))
    # inverse: the document mentions the person
    mentions = ox.NamedNode(str(RJKG.mentions))
    assert list(st.quads_for_pattern(None, mentions, lavrov, inf))
    for q in st.quads_for_pattern(None, None, None, inf):
        others = [
            x for x in st.quads_for_pattern(q.subject, q.predicate, q.object, None) if x.graph_name != inf
        ]
        assert not others, f"asserted triple repeated in inferred: {q}"


def test_void_counts_and_checksums(built):
    out, result = built
    void = Graph().parse(out / "void.ttl")
    q = """PREFIX void: <http://rdfs.org/ns/void#>
    SELECT ?g ?n WHERE { ?ds void:subset ?g . ?g void:triples ?n }"""
    counts = {str(r.g): int(r.n) for r in void.query(q)}
    st = ox.Store()
    st.bulk_load(path=str(out / "rjkg.nq"), format=ox.RdfFormat.N_QUADS)
    for g in st.named_graphs():
        assert counts[g.value] == sum(1 for _ in st.quads_for_pattern(None, None, None, g)), g.value
    sums = dict(line.split("  ")[::-1] for line in (out / "SHA256SUMS").read_text().splitlines())
    assert sums == {k: v for k, v in digests(out).items() if k != "SHA256SUMS"}
    q2 = """PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?name ?v WHERE { ?d dct:title ?name ; spdx:checksum/spdx:checksumValue ?v }"""
    listed = {str(r.name): str(r.v) for r in void.query(q2)}
    assert listed == {k: v for k, v in sums.items() if k != "void.ttl"}
    assert len(listed) == 9  # 3 dataset dumps, ontology, curated, inferred, 3 documents


def test_no_blank_nodes_and_sorted_nquads(built):
    out, _ = built
    lines = (out / "rjkg.nq").read_bytes().splitlines()
    assert lines == sorted(lines)
    with_bnodes = [line for line in lines if b" _:" in line or line.startswith(b"_:")]
    # only the ontology's RDF lists are blank nodes, and they carry RDFC-1.0 canonical labels
    assert with_bnodes and all(line.endswith(f"<{G_ONTOLOGY}> .".encode()) for line in with_bnodes)
    assert all(b"_:c14n" in line for line in with_bnodes)


def test_two_builds_give_identical_bytes(built, tmp_path):
    out, _ = built
    run_build(tmp_path, use_cache=False)
    assert digests(tmp_path / "graph") == digests(out)


def test_a_bad_document_is_reported_and_the_others_published(tmp_path):
    seeds = copy_seeds(tmp_path)
    (seeds / "d.txt").write_text("P: Кто-то\nFAIL\n", encoding="utf-8")
    (seeds / "e.txt").write_bytes(b"")
    result = run_build(tmp_path, seeds)
    failed = {Path(f.path).name: f.reason for f in result.failures}
    assert set(failed) == {"d.txt", "e.txt"}
    assert "stand-in refuses" in failed["d.txt"]
    assert result.published == 3
    assert sorted(p.name for p in (tmp_path / "graph" / "doc").iterdir()) == ["a.ttl", "b.ttl", "c.ttl"]


def test_a_document_violating_the_shapes_is_dropped_not_the_build(tmp_path):
    seeds = copy_seeds(tmp_path)
    (seeds / "d.txt").write_text("NOLABEL: Без Имени\n", encoding="utf-8")
    result = run_build(tmp_path, seeds)
    assert [Path(f.path).name for f in result.failures] == ["d.txt"]
    assert "PersonShape" in result.failures[0].reason
    assert result.published == 3 and result.violations == 0
    assert result.warnings > 0  # warnings never fail the build


def test_cache_reextracts_only_the_new_or_changed_document(tmp_path, monkeypatch):
    log = tmp_path / "extractions.log"
    monkeypatch.setenv("RJKG_TEST_EXTRACT_LOG", str(log))
    seeds = copy_seeds(tmp_path)
    first = run_build(tmp_path, seeds)
    assert (first.extracted, first.cached) == (3, 0)
    assert sorted(log.read_text().split()) == ["a.txt", "b.txt", "c.txt"]
    log.write_text("")
    (seeds / "d.txt").write_text("P: Есимаса Хаяси\n", encoding="utf-8")
    second = run_build(tmp_path, seeds)
    assert (second.extracted, second.cached) == (1, 3)
    assert (first.validated, second.validated) == (3, 1)  # SHACL outcomes are cached per document too
    assert log.read_text().split() == ["d.txt"]
    log.write_text("")
    (seeds / "b.txt").write_text("P: Таро Коно\n", encoding="utf-8")
    third = run_build(tmp_path, seeds)
    assert (third.extracted, third.cached) == (1, 3)
    assert log.read_text().split() == ["b.txt"]
    log.write_text("")
    (seeds / "metadata.yaml").write_text(
        (seeds / "metadata.yaml").read_text(encoding="utf-8").replace("Документ В", "Документ В (правка)"),
        encoding="utf-8",
    )
    fourth = run_build(tmp_path, seeds)
    assert log.read_text().split() == ["c.txt"] and fourth.extracted == 1
    log.write_text("")
    no_cache = run_build(tmp_path, seeds, use_cache=False)
    assert no_cache.extracted == 4 and len(log.read_text().split()) == 4


def test_incremental_build_equals_a_clean_build(tmp_path):
    seeds = copy_seeds(tmp_path)
    run_build(tmp_path, seeds)
    (seeds / "d.txt").write_text("P: Есимаса Хаяси\nKNOWS: Есимаса Хаяси | Таро Коно\n", encoding="utf-8")
    run_build(tmp_path, seeds)
    clean = tmp_path / "clean"
    clean.mkdir()
    run_build(clean, seeds, use_cache=False)
    assert digests(tmp_path / "graph") == digests(clean / "graph")


def test_usage_errors(tmp_path):
    with pytest.raises(InputError) as e:
        run_build(tmp_path, tmp_path / "missing")
    assert "missing" in str(e.value)
    with pytest.raises(InputError) as e:
        run_build(tmp_path, jobs=-1)
    assert "--jobs" in str(e.value)


def test_all_documents_failing_publishes_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x.txt").write_text("FAIL\n", encoding="utf-8")
    with pytest.raises(BuildError) as e:
        run_build(tmp_path, seeds)
    assert "x.txt" in str(e.value) and e.value.exit_code == 3
    assert not (tmp_path / "graph").exists()


def test_chunked_parallel_validation_gives_the_same_result(tmp_path, monkeypatch):
    seeds = copy_seeds(tmp_path)
    (seeds / "d.txt").write_text("NOLABEL: Без Имени\nP: Таро Коно\n", encoding="utf-8")
    whole = tmp_path / "whole"
    whole.mkdir()
    one = run_build(whole, seeds, use_cache=False)
    monkeypatch.setattr(pipeline, "VALIDATE_CHUNK", 1)  # four pyshacl calls in two forked processes
    chunked = run_build(tmp_path, seeds, use_cache=False)
    assert (
        [Path(f.path).name for f in chunked.failures]
        == [Path(f.path).name for f in one.failures]
        == ["d.txt"]
    )
    assert (chunked.validated, chunked.warnings) == (one.validated, one.warnings)
    assert digests(tmp_path / "graph") == digests(whole / "graph")
