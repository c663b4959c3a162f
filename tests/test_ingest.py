"""ingest: metadata, decoding, refusing non-documents with a clear DocumentError, boilerplate ranges, sentences."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from rjkg import ingest
from rjkg.errors import DocumentError, InputError
from rjkg.records import PartialDate

DOCS = Path(__file__).parent / "docs"
BAD = DOCS / "bad"

# file → ("ok", encoding) or ("error", words the message must contain)
BAD_CASES = {
    "empty.txt": ("error", "empty"),
    "whitespace.txt": ("error", "whitespace"),
    "binary.txt": ("error", "binary"),
    "pdf_renamed.txt": ("error", "PDF"),
    "html_renamed.txt": ("error", "HTML"),
    "no_russian.txt": ("error", "no Russian"),
    "cp1251.txt": ("ok", "cp1251"),
    "koi8r.txt": ("ok", "koi8-r"),
    "utf8_bom.txt": ("ok", "utf-8-sig"),
    "mixed_scripts.txt": ("ok", "utf-8"),
    "unbalanced_quotes.txt": ("ok", "utf-8"),
    "nfd.txt": ("ok", "utf-8+nfc"),
}


def test_every_bad_document_has_a_case():
    found = sorted(p.name for p in BAD.glob("*.txt"))
    assert len(found) == 12
    assert found == sorted(BAD_CASES)


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_documents(name):
    kind, expected = BAD_CASES[name]
    path = BAD / name
    if kind == "error":
        with pytest.raises(DocumentError) as err:
            ingest.load_document(path)
        message = err.value.render()
        assert expected in message and str(path) in message and "→" in message
        return
    doc = ingest.load_document(path)
    assert doc.encoding == expected
    assert "Япони" in doc.text or "Хаяси" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    assert not doc.text.startswith("\ufeff")
    assert doc.sentences
    for s, e in doc.sentences:
        assert 0 <= s < e <= len(doc.text) and doc.text[s:e].strip()


def test_8bit_text_decodes_to_the_same_russian():
    assert ingest.load_document(BAD / "cp1251.txt").text == ingest.load_document(BAD / "koi8r.txt").text
    assert ingest.load_document(BAD / "cp1251.txt").text == ingest.load_document(BAD / "utf8_bom.txt").text


def test_too_large_a_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(10 * 2**20)  # a sparse 10 MiB file
    with pytest.raises(DocumentError, match="too large"):
        ingest.load_document(p)


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="does not exist"):
        ingest.load_document(tmp_path / "gone.txt")


METADATA_OK = """\
a.txt:
  title: "Заголовок"
  date: "2019-05"
  genre: PressRelease
b.txt:
  date: 2018-07-31
"""


def test_load_metadata(tmp_path):
    p = tmp_path / "metadata.yaml"
    p.write_text(METADATA_OK, encoding="utf-8")
    meta = ingest.load_metadata(p)
    assert meta["a.txt"].date == PartialDate(2019, 5) and meta["a.txt"].genre == "PressRelease"
    assert meta["b.txt"].date == PartialDate(2018, 7, 31)
    assert ingest.load_metadata(tmp_path / "none.yaml") == {}


@pytest.mark.parametrize(
    "content, words",
    [("a.txt: [unclosed\n", "not valid YAML"), ('a.txt:\n  date: "2019-13-01"\n', "a.txt: date"),
     ('a.txt:\n  date: "31.05.2019"\n', "bad date")],
)  # fmt: skip
def test_bad_metadata(tmp_path, content, words):
    p = tmp_path / "metadata.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest.load_metadata(p)
    assert words in err.value.render() and str(p) in err.value.render()


def test_find_documents(seed_files):
    assert ingest.find_documents(seed_files[0].parent) == seed_files
    with pytest.raises(InputError):
        ingest.find_documents(seed_files[0])


def _skipped_text(doc):
    return [doc.text[s:e].strip() for s, e in doc.skipped]


def test_boilerplate_of_the_seeds(seed_files):
    meta = ingest.load_metadata(seed_files[0].parent / "metadata.yaml")
    docs = {p.name[:3]: ingest.load_document(p, meta.get(p.name)) for p in seed_files}
    # 000: the date header shares the headline's line
    assert _skipped_text(docs["000"]) == ["date 2025-09-10"]
    assert docs["000"].text[docs["000"].sentences[0][0] :].startswith("Дипломатические центры")
    # 002: clock, document number, trailing Chinese interface strings
    skipped = _skipped_text(docs["002"])
    assert skipped[:2] == ["20:31", "1430-31-07-2018"] and "补充资料" in skipped[2]
    # 004: site chrome, emoji line, two repeated headlines, "Также по теме:" and what follows
    skipped = _skipped_text(docs["004"])
    assert skipped[0].startswith("Сайт Хабаровска") and skipped[1] == "🕛"
    assert len([s for s in skipped if s.startswith("Вопросы российско-японского")]) == 2
    assert skipped[-1].startswith("Также по теме:")
    for doc in docs.values():
        for s, e in doc.sentences:
            assert not any(a < e and s < b for a, b in doc.skipped), doc.text[s:e]


def test_header_date_fills_missing_metadata(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(" date 2024-02-03 Заголовок статьи о визите в Японию.\nТекст статьи.\n", encoding="utf-8")
    doc = ingest.load_document(p)
    assert doc.meta.date == PartialDate(2024, 2, 3)


SENTENCE_CASES = [
    ("Заголовок без точки\n\nПервое предложение. Второе предложение.", ["Заголовок без точки", "Первое предложение.",
                                                                       "Второе предложение."]),
    ("Стороны подтвердили важность работы, включая\n\nпосещение могил.", ["Стороны подтвердили важность работы, "
                                                                        "включая\n\nпосещение могил."]),
    ("Мэр города Ниигата\tНАКАХАРА Яити\nМэр города Майдзуру\tТАТАМИ Рёдзо",
     ["Мэр города Ниигата\tНАКАХАРА Яити", "Мэр города Майдзуру\tТАТАМИ Рёдзо"]),
]  # fmt: skip


@pytest.mark.parametrize("text, expected", SENTENCE_CASES, ids=[c[0][:20] for c in SENTENCE_CASES])
def test_sentences(text, expected):
    assert [text[s:e] for s, e in ingest.split_sentences(text, [])] == expected


# ---- random input: ingest + extract never fail with anything but DocumentError; every offset stays valid

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FRAGMENTS = ["Министр", " Таро Коно", " «", "»", " С.В.Лаврова", "\t", "\n", "\n\n", " МИД РФ", " Токио", ".",
              " НАКАХАРА Яити", " date 2024-01-02 ", "20:31\n", "Также по теме:", " 补充资料", "🕛", "\ufeff",
              "и\u0306", " (JBIC)", " председатель совета директоров", " в ", ","]  # fmt: skip
_TEXT = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_random_text_never_breaks_ingest_or_extract(tmp_path, text):
    from rjkg import resolve
    from rjkg.extract import extract

    path = tmp_path / "random.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        doc = ingest.load_document(path)
    except DocumentError:
        return
    n = len(doc.text)
    for s, e in (*doc.sentences, *doc.skipped):
        assert 0 <= s < e <= n
    ex = resolve.resolve(extract(doc))
    spans = [m for e in ex.entities for m in e.mentions] + [s for p in ex.posts for s in p.evidence]
    for sp in spans:
        assert 0 <= sp.start < sp.end <= n
