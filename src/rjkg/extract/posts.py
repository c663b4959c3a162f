"""Posts: a post phrase right before a person's name ("Министр иностранных дел Японии Таро Коно", "президент РФ
Владимир Путин", "Мэр города Благовещенска<TAB>Калита В. С."), coordinated posts sharing one person ("председателем
совета директоров и уполномоченным директором «…» Масаюки Сато"), a body's head named without a name ("уточнил глава
Минвостокразвития"), and signature blocks where posts and names come on separate lines.

A post phrase is: optional "И.о."/adjectives, a post noun (singular), then genitive words, entity names, «…», an
abbreviation in brackets and "по …" / "с …" / "в области …" complements. Its organisation is the first entity named at
the genitive level (not inside "по …"); its title is the phrase without that organisation (nominative, capitalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rjkg.extract.context import Context, Sentence, Token
from rjkg.extract.morphology import nominative
from rjkg.records import Entity, PostHolding, Span

POST_HEADS = {
    "министр",
    "президент",
    "премьер-министр",
    "премьер",
    "мэр",
    "вице-мэр",
    "глава",
    "председатель",
    "сопредседатель",
    "заместитель",
    "секретарь",
    "посол",
    "губернатор",
    "вице-губернатор",
    "директор",
    "начальник",
    "руководитель",
    "советник",
    "спикер",
    "пресс-секретарь",
    "вице-премьер",
    "вице-президент",
    "консул",
    "генконсул",
    "генеральный консул",
    "представитель",
    "полпред",
    "уполномоченный",
    "помощник",
    "замминистра",
    "замглавы",
    "управляющий",
    "ректор",
    "канцлер",
    "император",
    "депутат",
    "сенатор",
    "командующий",
    "атташе",
    "член",
    "проректор",
    "декан",
    "заведующий",
    "постпред",
    "генеральный директор",
    "гендиректор",
    "президент-директор",
    "лидер",
    "координатор",
    "редактор",
    "главный редактор",
    "экономист",
    "генсек",
    "комиссар",
}
MODIFIERS = {
    "управляющий",
    "генеральный",
    "первый",
    "уполномоченный",
    "исполнительный",
    "чрезвычайный",
    "полномочный",
    "главный",
    "постоянный",
    "специальный",
    "официальный",
    "торговый",
    "статс-секретарь",
    "парламентский",
    "старший",
    "временный",
    "федеральный",
}
# words that introduce the organisation's name and go with it, not with the title: "мэр города X", "директор компании «X»"
ORG_WORDS = {
    "город",
    "г",
    "префектура",
    "село",
    "посёлок",
    "поселок",
    "компания",
    "корпорация",
    "концерн",
    "фирма",
    "холдинг",
    "группа",
    "банк",
    "издание",
    "газета",
    "агентство",
    "область",
    "край",
    "движение",
    "партия",
    "федерация",
    "объединение",
    "общество",
    "телеканал",
    "журнал",
    "радиостанция",
    "фонд",
    "ассоциация",
}
# a post no longer (or not yet) held
FORMER = {"бывший", "прежний", "покойный", "экс", "будущий", "предыдущий", "тогдашний"}
_IO = re.compile(r"^(?:И\.\s?о\.|и\.\s?о\.|Врио|врио|ВрИО)\s*")
_BODY_HEAD_TITLES = {"глава", "руководитель", "министр"}


@dataclass
class Phrase:
    start: int  # char offsets
    end: int
    head: int  # token index of the post noun
    title: str
    full_title: str
    org: str | None
    tokens: tuple[Token, ...] = field(default=())


def _word(t: Token) -> bool:
    return bool(re.match(r"[^\W_]", t.text))


class _Doc:
    """Entity mentions of one sentence, by start token."""

    def __init__(self, ctx: Context, s: Sentence):
        self.s = s
        self.by_start: dict[int, tuple[Entity, int, int]] = {}
        toks = s.tokens
        for e, ms, me in ctx.entities_in(s.start, s.end):
            i = next((k for k, t in enumerate(toks) if t.start >= ms), None)
            if i is None:
                continue
            j = i
            while j < len(toks) and toks[j].end <= me:
                j += 1
            prev = self.by_start.get(i)
            if prev is None or prev[2] < j:
                self.by_start[i] = (e, i, j)

    def mention(self, i: int) -> tuple[Entity, int, int] | None:
        return self.by_start.get(i)

    def ending_at(self, j: int) -> tuple[Entity, int, int] | None:
        """The person mention that ends right before token j."""
        for m in self.by_start.values():
            if m[2] == j and m[0].type == "Person":
                return m
        return None


def _start_of_phrase(toks: tuple[Token, ...], i: int) -> tuple[int, int] | None:
    """If a post phrase starts at token i, (start token, head token)."""
    j = i
    text = toks[i].text
    if text.lower() in ("и.о", "и", "врио") and i + 1 < len(toks) and toks[i].text.lower() == "и.о":
        j += 1
    # "И.о." is tokenised as И . о . by natasha
    if (
        toks[i].text in ("И", "и")
        and i + 3 < len(toks)
        and toks[i + 1].text == "."
        and toks[i + 2].text == "о"
    ):
        j = i + 4 if toks[i + 3].text == "." else i + 3
    # "Временно исполняющий обязанности губернатора", "исполняющий обязанности мэра": the post stays genitive
    low = [t.text.lower() for t in toks[i : i + 3]]
    if low[:1] == ["временно"] and low[1:3] == ["исполняющий", "обязанности"]:
        j = i + 3
    elif low[:2] == ["исполняющий", "обязанности"]:
        j = i + 2
    while j < len(toks) and (_lemmas(toks[j]) & MODIFIERS) and j - i < 5:
        j += 1
        # "Статс-секретарь – заместитель министра": a dash joins two titles of one post
        if (
            toks[j - 1].text.lower() == "статс-секретарь"
            and j < len(toks)
            and toks[j].text in ("–", "—", "-")
        ):
            j += 1
        # "Чрезвычайный и Полномочный Посол": coordinated modifiers
        elif j + 1 < len(toks) and toks[j].text == "и" and _lemmas(toks[j + 1]) & MODIFIERS:
            j += 1
    if j < len(toks) and toks[j].lemma in POST_HEADS and toks[j].feats.get("Number") != "Plur":
        if toks[j].pos in ("NOUN", "PROPN", "ADJ") or toks[j].lemma == "уполномоченный":
            return i, j
    if j > i and toks[j - 1].lemma in POST_HEADS and toks[j - 1].feats.get("Number") != "Plur":
        return i, j - 1  # "управляющий банком": a modifier that is itself a post
    return None


def _lemmas(t: Token) -> set[str]:
    from rjkg.extract.gazmatch import forms

    return set(forms(t.text)) | {t.lemma}


def _np(toks, i, case) -> int:
    """End of a noun phrase in `case` at i (adjectives, possibly "A и B", then a noun), or i."""
    j = i
    while j < len(toks) and toks[j].pos in ("ADJ", "DET", "NUM") and toks[j].feats.get("Case") == case:
        j += 1
        if (
            j + 1 < len(toks)
            and toks[j].text == "и"
            and toks[j + 1].pos == "ADJ"
            and toks[j + 1].feats.get("Case") == case
        ):
            j += 1
    if j < len(toks) and toks[j].pos in ("NOUN", "PROPN") and toks[j].feats.get("Case") == case:
        return j + 1
    return i


def _phrase(ctx: Context, d: _Doc, start: int, head: int) -> tuple[Phrase, int]:
    """Parse one post phrase from its start; returns it and the index after it."""
    toks = d.s.tokens
    j = head + 1
    org_span: tuple[int, int] | None = None
    org: str | None = None
    depth = 0  # inside a prepositional complement
    last_case = None
    while j < len(toks):
        t = toks[j]
        m = d.mention(j)
        if m is not None:
            ent = m[0]
            if ent.type == "Person":
                break
            if org is None and (depth == 0 or ent.type == "State"):
                # a state after a complement is still the post's organisation: "министр по делам … Японии"
                org, org_span = ent.key, (m[1], m[2])
                # "города Хабаровска": the word "город" belongs with the organisation
                a = m[1]
                if a > head + 1 and toks[a - 1].text == "«":
                    a -= 1
                if a > head + 1 and toks[a - 1].lemma in ORG_WORDS:
                    a -= 1
                org_span = (a, m[2])
            j = m[2]
            if j < len(toks) and toks[j].text == ")" and j > 0 and toks[j - 1].text != "(":
                pass
            continue
        low = t.text.lower()
        if t.text == "(":
            k = j + 1
            while k < len(toks) and toks[k].text != ")" and k - j < 8:
                k += 1
            if k < len(toks) and toks[k].text == ")":
                mm = d.mention(j + 1)
                if mm is not None and depth == 0 and org is None:
                    org = mm[0].key
                j = k + 1
                continue
            break
        if t.text == "«":
            k = j + 1
            while k < len(toks) and toks[k].text != "»" and k - j < 12:
                k += 1
            if k < len(toks):
                mm = d.mention(j + 1)
                if mm is not None and mm[0].type != "Person" and depth == 0 and org is None:
                    a = j - 1 if j - 1 > head and toks[j - 1].lemma in ORG_WORDS else j
                    org, org_span = mm[0].key, (a, k + 1)
                j = k + 1
                continue
            break
        k = _np(toks, j, "Gen")
        if k > j:
            j, last_case = k, "Gen"
            continue
        if low in ("по", "с", "в", "во") and j + 1 < len(toks):
            low = "в" if low == "во" else low
            case = {"по": "Dat", "с": "Ins", "в": "Loc"}[low]
            if low == "с" and depth == 0:
                break
            if low == "в" and toks[j + 1].lemma not in ("область", "сфера", "рамка", "вопрос"):
                # "посол Японии в России", "консул Японии в Южно-Сахалинске": where the post is held
                mm = d.mention(j + 1)
                if org is not None and mm is not None and mm[0].type in ("State", "Municipality", "Region"):
                    depth, j = depth + 1, mm[2]
                    continue
                break
            k = _np(toks, j + 1, case)
            if k == j + 1 and d.mention(j + 1) is not None:
                k = d.mention(j + 1)[2]
            if k > j + 1:
                depth, j, last_case = depth + 1, k, case
                continue
            break
        if low == "," and last_case == "Gen" and j + 1 < len(toks) and not toks[j + 1].text[:1].isupper():
            # "министр экономики, торговли и промышленности": an enumeration going on with "и" or ","
            k = _np(toks, j + 1, "Gen")
            if k > j + 1 and (
                (k < len(toks) and toks[k].text in ("и", ",")) or any(x.text == "и" for x in toks[j + 1 : k])
            ):
                j = k
                continue
        if low == "и" and j + 1 < len(toks) and last_case:
            mm = d.mention(j + 1)
            if mm is not None and mm[0].type not in ("Person",) and _after_mention(d, j):
                j = mm[2]  # "по развитию Дальнего Востока и Арктики": two names joined
                continue
            k = _np(toks, j + 1, last_case)
            if k == j + 1 and toks[j + 1].pos == "ADJ" and toks[j + 1].feats.get("Case") == last_case:
                k = _np(toks, j + 2, last_case)  # "по международным и внешнеэкономическим связям"
            if k > j + 1 and not _start_of_phrase(toks, j + 1):
                j = k
                continue
        if t.pos == "ADJ" and j + 1 < len(toks):
            case = t.feats.get("Case")
            k = _np(toks, j, case) if case else j
            if k > j and case == last_case:
                j = k
                continue
        break
    end = j
    words = []
    title_words = []
    for k in range(start, end):
        t = toks[k]
        w = (
            nominative(t, like=toks[head])
            if start <= k <= head and not _has_io(toks, start, head)
            else t.text
        )
        words.append((t, w))
        if org_span is None or not (org_span[0] <= k < org_span[1]):
            title_words.append((t, w))
    if org is None:
        org = _adjective_state(ctx, toks, start, head)
    full = _cap(_join(words))
    title = re.sub(r"\s*\([^()]*\)|\s*«[^«»]*»", "", _join(title_words))
    title = _cap(re.sub(r"\s+", " ", title).strip(" ,"))
    return Phrase(toks[start].start, toks[end - 1].end, head, title, full, org, tuple(toks[start:end])), end


def _adjective_state(ctx: Context, toks: tuple[Token, ...], start: int, head: int) -> str | None:
    """ "российский президент", "японского премьера": a state adjective in front of the post noun names the state
    the post is held in, when the document names that state (side_state)."""
    from rjkg.extract.grammars_common import side_state

    lo = start
    while lo > 0 and toks[lo - 1].pos == "ADJ" and start - lo < 2:
        lo -= 1  # "нынешний российский президент": adjectives before the phrase's start
    for t in toks[lo:head]:
        if t.pos == "ADJ" and "-" not in t.text:  # "российско-японский" names two states, not one
            key = side_state(ctx, t.text)
            if key:
                return key
    return None


def _after_mention(d: _Doc, j: int) -> bool:
    """Does a non-person mention end right before token j?"""
    return any(m[2] == j and m[0].type != "Person" for m in d.by_start.values())


def _has_io(toks, start, head) -> bool:
    """An acting official's post ("И.о. …", "исполняющий обязанности …") keeps the post noun in the genitive."""
    return any(
        (toks[k].text in ("И", "и") and toks[k + 1].text == ".") or toks[k].text.lower() == "обязанности"
        for k in range(start, head)
        if k + 1 < len(toks)
    )


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _join(pairs) -> str:
    out = []
    for k, (t, w) in enumerate(pairs):
        if k:
            out.append(" " if pairs[k - 1][0].end < t.start else "")
        out.append(w)
    return re.sub(r"\s+", " ", "".join(out)).strip()


@dataclass
class Group:
    phrases: list[Phrase]
    person: tuple[Entity, int, int] | None  # entity, start token, end token
    sentence: Sentence
    coordinated: list[bool]  # phrase k joined to k+1 by "и" (shares the organisation)


def find_groups(ctx: Context) -> list[Group]:
    out = []
    for s in ctx.sentences:
        d = _Doc(ctx, s)
        toks = s.tokens
        i = 0
        while i < len(toks):
            st = _start_of_phrase(toks, i)
            if st is None or (d.mention(i) and d.mention(i)[0].type == "Person"):
                i += 1
                continue
            phrases, coord = [], []
            j = i
            while True:
                ph, j = _phrase(ctx, d, *st)
                phrases.append(ph)
                if j < len(toks) and toks[j].text in (",", "и") and j + 1 < len(toks):
                    nxt = _start_of_phrase(toks, j + 1)
                    if nxt is not None:
                        coord.append(toks[j].text == "и")
                        st = nxt
                        continue
                break
            coord.append(False)
            person = d.mention(j) if j < len(toks) else None
            if person is not None and person[0].type != "Person":
                person = None
            if (
                person is None
                and i >= 2
                and toks[i - 1].text in (",", "—", "–", "-")
                and (
                    j >= len(toks)
                    or toks[j].text in ",.;)—–:"
                    # "X – директор … и совладелец …": after a dash the phrase names X's post whatever follows
                    or (toks[i - 1].text != "," or toks[j].text.lower() in ("и", "при", "в", "во"))
                )
            ):
                person = d.ending_at(i - 1)  # apposition: "Таро Коно, министр иностранных дел Японии, …"
            if person is None:
                person = _introduced(d, toks, i)  # "Иван Петров, занимающий пост губернатора …"
            if i >= 1 and _lemmas(toks[i - 1]) & FORMER:
                person = None  # "бывший премьер-министр …": not a post held now
            out.append(Group(phrases, person, s, coord))
            i = max(j, i + 1)
    return out


# words that introduce a post after its holder: "в должности …", "занимающий пост …", "назначенный на должность …"
_INTRO_NOUNS = {"должность", "пост"}
_INTRO_VERBS = {"занимать", "занимающий", "назначить", "назначенный", "избрать", "избранный", "состоять"}


def _introduced(d: _Doc, toks: tuple[Token, ...], i: int) -> tuple[Entity, int, int] | None:
    """The person a post phrase at token i belongs to when a phrase like "в должности", "занимающий пост" or
    "назначенный на пост" links them: "Иван Петров, занимающий пост губернатора области"."""
    if i < 2 or toks[i - 1].lemma not in _INTRO_NOUNS:
        return None
    k = i - 2
    if toks[k].text.lower() in ("в", "на"):
        k -= 1
        if k >= 0 and not ({toks[k].lemma, toks[k].text.lower()} & _INTRO_VERBS):
            k += 1  # "в должности …" right after the name
    elif {toks[k].lemma, toks[k].text.lower()} & _INTRO_VERBS:
        pass
    else:
        return None
    if k >= 1 and toks[k - 1].text in (",", "—", "–"):
        k -= 1
    return d.ending_at(k)


def _holdings(g: Group, person_key: str, extra: tuple[Span, ...] = ()) -> list[PostHolding]:
    out = []
    orgs = [p.org for p in g.phrases]
    for k in range(len(orgs) - 2, -1, -1):  # "председатель совета директоров и … директор «X»": X for both
        if orgs[k] is None and g.coordinated[k]:
            orgs[k] = orgs[k + 1]
    for p, org in zip(g.phrases, orgs, strict=True):
        ev = (Span(p.start, p.end), *extra)
        out.append(PostHolding(person_key, p.title, p.full_title, org, ev))
    return out


def find_posts(ctx: Context) -> list[PostHolding]:
    groups = find_groups(ctx)
    posts: list[PostHolding] = []
    for g in groups:
        if g.person is not None:
            ent, a, b = g.person
            posts += _holdings(g, ent.key, (Span(g.sentence.tokens[a].start, g.sentence.tokens[b - 1].end),))
    posts += _signature_block(ctx, groups, posts)
    posts += _body_heads(ctx, groups, posts)
    return _dedup(posts, {e.key: e.type for e in ctx.entities})


def _dedup(posts: list[PostHolding], types: dict[str, str]) -> list[PostHolding]:
    """One holding per (person, role): "Министр" is dropped when the same person is also "Министр иностранных дел";
    the same title with the same (or no) organisation is kept once."""
    out: list[PostHolding] = []
    for p in posts:
        t = f" {_n(p.title)} "
        dup = False
        for q in posts:
            if q is p or q.person != p.person or (p.org and q.org and p.org != q.org):
                continue
            u = f" {_n(q.title)} "
            if t != u and t in u:
                dup = True  # a shorter title of the same post
                break
        if dup:
            continue
        same = [q for q in out if q.person == p.person and _n(q.title) == _n(p.title)]
        if any(q.org == p.org or not p.org for q in same):
            continue
        # the same post named once with its state, once with its ministry ("… Японии" / "… (METI)"): one post
        states = [q for q in same if types.get(q.org) == "State" and types.get(p.org) == "GovernmentBody"]
        if states:
            out[out.index(states[0])] = p
            continue
        if any(types.get(q.org) == "GovernmentBody" and types.get(p.org) == "State" for q in same):
            continue
        bare = [q for q in same if q.org is None]
        if bare:
            # "президента Лукашенко" … "президенту Белоруссии Лукашенко": the post named once without its
            # organisation, once with it, is one post with that organisation
            out[out.index(bare[0])] = PostHolding(
                p.person, p.title, p.full_title, p.org, bare[0].evidence + p.evidence
            )
            continue
        out.append(p)
    return out


def _body_heads(ctx: Context, groups: list[Group], posts: list[PostHolding]) -> list[PostHolding]:
    """ "уточнил глава Минвостокразвития": the head of a body named without a name is the one person of the document
    holding a bare ministerial post ("Министр Российской Федерации") or a post in that body."""
    ents = {e.key: e for e in ctx.entities}
    out = []
    for g in groups:
        if g.person is not None or len(g.phrases) != 1:
            continue
        p = g.phrases[0]
        body = ents.get(p.org) if p.org else None
        if body is None or body.type != "GovernmentBody" or p.title.lower() not in _BODY_HEAD_TITLES:
            continue
        cands = {q.person for q in posts if q.org == body.key or q.title.lower() == "министр"}
        if len(cands) == 1:
            out.append(
                PostHolding(next(iter(cands)), p.title, p.full_title, body.key, (Span(p.start, p.end),))
            )
    return out


def _signature_block(ctx: Context, groups: list[Group], posts: list[PostHolding]) -> list[PostHolding]:
    """Signature blocks laid out in columns come out as lines of posts and lines of names, interleaved from both
    columns, so a post line is not reliably followed by its holder's name. A post line that repeats a post already
    known for someone (from the participants' table) adds its other posts to that person; a post line matching no
    one goes to the next name in the block that has no post yet."""
    post_lines = {}
    for g in groups:
        s = g.sentence
        if g.person is None and g.phrases[0].start - s.start <= 2 and s.end - g.phrases[-1].end <= 2:
            post_lines[s.start] = g
    name_lines = {}
    for s in ctx.sentences:
        ms = ctx.entities_in(s.start, s.end)
        words = [t for t in s.tokens if _word(t)]
        if len(ms) == 1 and ms[0][0].type == "Person" and ms[0][1] - s.start <= 1 and s.end - ms[0][2] <= 2:
            if len(words) <= 5:
                name_lines[s.start] = ms[0][0]
    if len(post_lines) < 2 or len(name_lines) < 2:
        return []
    known: dict[str, set[str]] = {}
    for p in posts:
        known.setdefault(p.person, set()).add(_n(p.full_title))
    order = sorted([(k, "post") for k in post_lines] + [(k, "name") for k in name_lines])
    out: list[PostHolding] = []
    pending: list[Group] = []
    for k, kind in order:
        if kind == "post":
            g = post_lines[k]
            fulls = {_n(p.full_title) for p in g.phrases}
            owners = [person for person, titles in known.items() if titles & fulls]
            if len(owners) == 1:
                out += [h for h in _holdings(g, owners[0]) if _n(h.full_title) not in known[owners[0]]]
            elif not owners:
                pending.append(g)
        else:
            ent = name_lines[k]
            if ent.key not in known and pending:
                g = pending.pop(0)
                out += _holdings(g, ent.key)
                known[ent.key] = {_n(p.full_title) for p in g.phrases}
    return out


def _n(s: str) -> str:
    return " ".join(re.sub(r"[^\w]", " ", s.lower().replace("ё", "е")).split())
