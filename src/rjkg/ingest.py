"""Read documents and their metadata: decode, refuse what is not a Russian text, mark page boilerplate, split sentences.

Offsets: every offset in rjkg indexes ``Document.text``. That string is the decoded file with two documented changes:
a leading UTF-8 byte-order mark is dropped (it is an encoding marker, not text), and a text that is not in Unicode
NFC is normalised to NFC (then offsets index the NFC text; ``Document.encoding`` says ``…+nfc``). Boilerplate is never
deleted: it is listed in ``Document.skipped`` and sentences avoid it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import yaml

from rjkg.errors import DocumentError, InputError
from rjkg.records import DocMeta, Document, PartialDate

log = logging.getLogger("rjkg.ingest")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CYR = re.compile(r"[А-Яа-яЁё]")
_CYR_WORD = re.compile(r"[А-Яа-яЁё]{2,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
_DOC_NUMBER = re.compile(r"^\s*(?:№\s*)?\d+(?:-\d+){2,}\s*$")
_SITE_CHROME = re.compile(r"^\s*(?:Сайт|Главная|Меню|Поиск|Версия для печати|Подписаться)\b")
_SEE_ALSO = re.compile(r"^\s*(?:Также по теме|Читайте также|См\. также|Другие новости)\s*:?", re.I)
_SENT_END = re.compile(r"[.!?…:;»\")]\s*$")
_ENCODINGS = ("cp1251", "koi8-r")
# one article, statement or transcript is far below this; a bigger file is a dump or a book and would take long
MAX_BYTES = 4 * 2**20
# frequent lower-case Russian letters: a right guess of the 8-bit code page makes most letters one of these
_FREQUENT = set("оеаинтсрвлкмдпу")


def parse_date(value: object, *, where: str) -> PartialDate:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (or a YAML date) → PartialDate; anything else is an InputError."""
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    m = _DATE.match(str(value).strip())
    if m:
        y, mo, d = (int(g) if g else None for g in m.groups())
        try:
            if mo:
                _dt.date(y, mo, d or 1)
            return PartialDate(y, mo, d)
        except ValueError:
            pass
    raise InputError(f"bad date {value!r}", where=where, hint="write it as YYYY, YYYY-MM or YYYY-MM-DD")


def load_metadata(path: Path | str) -> dict[str, DocMeta]:
    """seeds/metadata.yaml → {file name: DocMeta}; a missing file means no metadata."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(f"not valid YAML: {err}", where=str(path), hint="fix the YAML syntax") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping of file name → metadata", where=str(path))
    out: dict[str, DocMeta] = {}
    for name, entry in data.items():
        where = f"{path}: {name}"
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            raise InputError("expected a mapping of keys (title, date, …)", where=where)
        date = entry.get("date")
        out[str(name)] = DocMeta(
            title=entry.get("title"),
            date=parse_date(date, where=f"{where}: date") if date not in (None, "") else None,
            publisher=entry.get("publisher"),
            genre=entry.get("genre"),
            language=str(entry.get("language") or "ru"),
            source_url=entry.get("source_url") or entry.get("url"),
        )
    return out


def find_documents(folder: Path | str) -> list[Path]:
    """The *.txt files of a folder, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder", where=str(folder), hint="give a folder of .txt documents")
    return sorted(p for p in folder.glob("*.txt") if p.is_file())


def _refuse(path: Path, what: str, hint: str) -> DocumentError:
    return DocumentError(what, where=str(path), hint=hint)


def _sniff(raw: bytes, path: Path) -> None:
    """Refuse files that are not plain text at all (empty, binary, PDF, HTML)."""
    if not raw:
        raise _refuse(path, "the file is empty", "remove it or give it the document's text")
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise _refuse(
            path, "this is a PDF file renamed .txt", "extract its text (e.g. pdftotext) and save as UTF-8"
        )
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or (
        len(re.findall(rb"</?(?:p|div|span|a|br|td|tr|li|meta|script)\b", raw[:20000], re.I)) >= 5
    ):
        raise _refuse(
            path, "this is an HTML/XML page, not plain text", "save the article's text as UTF-8 .txt"
        )
    if b"\x00" in raw[:65536] or raw.startswith((b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _refuse(path, "this is a binary file, not text", "give a UTF-8 text file")


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (BOM dropped) first, then the 8-bit Russian code page that reads best."""
    try:
        if raw.startswith(b"\xef\xbb\xbf"):
            return raw[3:].decode("utf-8"), "utf-8-sig"
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in _ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c.isalpha()]
        score = sum(c in _FREQUENT for c in letters) / max(1, len(letters))
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.2:
        raise _refuse(path, "the file is neither UTF-8 nor Russian cp1251/KOI8-R text", "convert it to UTF-8")
    log.warning("%s: not UTF-8; decoded as %s", path, best[2])
    return best[1], best[2]


def _check_text(text: str, path: Path) -> None:
    if not text.strip():
        raise _refuse(path, "the file holds only whitespace", "remove it or give it the document's text")
    if bad := sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\t\n\r\f\v"):
        if bad > max(8, len(text) // 100):
            raise _refuse(path, f"{bad} control characters: this looks binary", "give a UTF-8 text file")
    if len(_CYR_WORD.findall(text)) < 1:
        raise _refuse(
            path, "no Russian text found", "rjkg extracts Russian documents; give a text in Russian"
        )


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    out, pos = [], 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def find_boilerplate(text: str) -> tuple[list[tuple[int, int]], PartialDate | None]:
    """Page debris to skip (ranges) and the date of a leading 'date YYYY-MM-DD' header, if any."""
    lines = _lines(text)
    skipped: list[tuple[int, int]] = []
    header_date = None
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    # "Также по теме:" and everything after it
    cut = len(text)
    for s, e in content:
        if _SEE_ALSO.match(text[s:e]) and s > len(text) // 3:
            cut = s
            break
    if cut < len(text):
        skipped.append((cut, len(text)))
    # trailing lines in other scripts (interface strings of the page)
    for s, e in reversed([le for le in content if le[0] < cut]):
        line = text[s:e]
        cjk, cyr = len(_CJK.findall(line)), len(_CYR.findall(line))
        if not (cjk > cyr or not _LETTER_OR_DIGIT.search(line)):
            break
        skipped.append((s, e))
    seen: list[str] = []
    for i, (s, e) in enumerate(content):
        if s >= cut:
            break
        line = text[s:e]
        stripped = line.strip()
        if i == 0 and (m := _HEADER_DATE.match(line)):
            header_date = parse_date(m.group(1), where="date header")
            skipped.append((s, s + m.end()))
            stripped = line[m.end() :].strip()
        elif i < 6 and (_CLOCK.match(line) or _DOC_NUMBER.match(line) or _SITE_CHROME.match(line)):
            skipped.append((s, e))
            continue
        elif not _LETTER_OR_DIGIT.search(line):  # emoji-only or punctuation-only lines
            skipped.append((s, e))
            continue
        elif i < 8 and len(stripped) >= 30 and any(prev.startswith(stripped) for prev in seen):
            skipped.append((s, e))  # the headline repeated near the top (possibly cut short)
            continue
        if i < 3 and len(stripped) >= 30:
            seen.append(stripped)
    return _merge(skipped), header_date


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _free_segments(text: str, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s, e in skipped:
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def split_sentences(text: str, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ranges over the non-skipped text: razdel within blocks; a line break ends a block unless the line
    stops mid-sentence and the next non-empty line goes on in lower case. A table row (with tabs) is one sentence."""
    from razdel import sentenize

    blocks: list[tuple[int, int]] = []
    for seg_s, seg_e in _free_segments(text, skipped):
        for s, e in _lines(text[seg_s:seg_e]):
            s, e = s + seg_s, e + seg_s
            line = text[s:e]
            if not line.strip():
                continue
            if blocks:
                ps, pe = blocks[-1]
                prev = text[ps:pe]
                gap = text[pe:s]
                first = line.lstrip()[:1]
                if (
                    "\t" not in prev
                    and "\t" not in line
                    and not _SENT_END.search(prev)
                    and first.islower()
                    and gap.count("\n") <= 3
                    and not any(ps < ks < s for ks, _ in skipped)
                ):
                    blocks[-1] = (ps, e)
                    continue
            blocks.append((s, e))
    out: list[tuple[int, int]] = []
    for s, e in blocks:
        chunk = text[s:e]
        if "\t" in chunk:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((s + lead, s + len(chunk.rstrip())))
            continue
        for sub in sentenize(chunk):
            if sub.text.strip():
                out.append((s + sub.start, s + sub.stop))
    return out


def load_document(path: Path | str, meta: DocMeta | None = None) -> Document:
    """Read one file into a Document (see the module docstring for what offsets index)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _refuse(
                path,
                f"the file is too large ({size / 2**20:.1f} MiB; the limit is {MAX_BYTES / 2**20:.0f} MiB)",
                "rjkg extracts articles and statements: split it into separate documents",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(path, "the file does not exist (or disappeared)", "check the path") from None
    except OSError as err:
        raise _refuse(path, f"cannot read the file: {err.strerror}", "check its permissions") from None
    _sniff(raw, path)
    text, encoding = _decode(raw, path)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        encoding += "+nfc"
    _check_text(text, path)
    skipped, header_date = find_boilerplate(text)
    meta = meta or DocMeta()
    if meta.date is None and header_date is not None:
        meta = DocMeta(**{**meta.__dict__, "date": header_date})
    return Document(
        id=path.stem,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        meta=meta,
        encoding=encoding,
        skipped=tuple(skipped),
        sentences=tuple(split_sentences(text, skipped)),
        path=str(path),
    )
