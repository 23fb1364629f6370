"""Random Danish and Unicode text through both renderers: no crash, no text lost."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkdesk.core.letters import fonts
from kkdesk.core.letters.build import LetterSource, SourceQuestion, build_letter
from kkdesk.core.letters.docx_render import render_docx
from kkdesk.core.letters.pdf_render import render_pdf
from kkdesk.core.letters.templates import TemplateSet, merged
from tests.letter_support import docx_paragraphs, normalise, pdf_text

_MARKER = re.compile(r"^(?:\\(?=[#\-*•–0-9])|# +(?=\S)|[-*•–] +(?=\S)|\d{1,4}\) +(?=\S))")
DANISH = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéèüöäÉÜ"
PUNCTUATION = "0123456789.,;:!?-–—()[]{}\"'«»„“”‘’/&<>%§@*#+=_…•€$½²"


@cache
def _covered() -> str:
    """Characters the embedded fonts can draw (letters, symbols; no combining marks)."""
    main, fallback = fonts.register()
    chars = []
    for code in sorted(main | fallback):
        char = chr(code)
        if code < 0x20 or 0xD800 <= code <= 0xDFFF or code >= 0xFFFE:
            continue
        if unicodedata.category(char)[0] in ("M", "C", "Z"):
            continue
        # Presentation forms and compatibility characters may be read back decomposed.
        if unicodedata.normalize("NFKC", char) != char:
            continue
        # Right-to-left scripts: the renderers keep logical order, but PDF text extraction
        # reorders them, so they cannot be compared character by character.
        if unicodedata.bidirectional(char) not in ("L", "EN", "ES", "ET", "CS", "ON"):
            continue
        chars.append(char)
    return "".join(chars)


def _words(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=1, max_size=14)


def _texts(alphabet: str) -> st.SearchStrategy[str]:
    line = st.lists(_words(alphabet), min_size=0, max_size=8).map(" ".join)
    marked = st.tuples(st.sampled_from(["", "", "- ", "1) ", "# ", "• ", "\\- ", "\t"]), line).map(
        "".join
    )
    return st.lists(marked, min_size=0, max_size=6).map(
        lambda lines: "\n".join(lines).replace("\n\n\n", "\n\n")
    )


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    for line in text.split("\n"):
        found += line_tokens(_MARKER.sub("", line.strip()))
    return found


def line_tokens(line: str) -> list[str]:
    return [normalise(t) for t in line.split() if normalise(t)]


def _source(subject: str, name: str, general: str, answers: list[tuple[str, str]]) -> LetterSource:
    return LetterSource(
        case_number="2025-0001",
        subject=subject,
        asker_name=name,
        asker_party="Ø",
        received=(dt.date(2025, 5, 22), dt.date(2025, 6, 2)),
        administration_code="ØKF",
        administration_name="Økonomiforvaltningen",
        administration_genitive="Økonomiforvaltningens",
        administration_address="Rådhuspladsen 1, 1550 København V",
        layout="ad",
        general_answer=general,
        signer_name="Åse Ørum",
        signer_title="Direktør",
        questions=tuple(SourceQuestion(n, q, a) for n, (q, a) in enumerate(answers, start=1)),
        bilag=("Bilag med æøå",),
    )


def _check(source: LetterSource, inputs: list[str]) -> None:
    letter = build_letter(
        source, TemplateSet(merged()), letter_date=dt.date(2025, 6, 3), draft=True
    )
    pdf = normalise(pdf_text(render_pdf(letter)))
    docx = normalise("\n".join(docx_paragraphs(render_docx(letter))))
    for text in inputs:
        for token in _tokens(text):
            assert token in docx, (token, "docx")
            assert token in pdf, (token, "pdf")


SETTINGS = settings(
    max_examples=int(os.environ.get("KKDESK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(
    subject=_texts(DANISH + PUNCTUATION).filter(lambda s: "\n" not in s),
    name=_words(DANISH),
    general=_texts(DANISH + PUNCTUATION + " "),
    answers=st.lists(
        st.tuples(_texts(DANISH + PUNCTUATION), _texts(DANISH + PUNCTUATION)),
        min_size=1,
        max_size=4,
    ),
)
def test_danish_text_survives_both_renderers(
    subject: str, name: str, general: str, answers: list[tuple[str, str]]
) -> None:
    inputs = [general] + [t for pair in answers for t in pair]
    _check(_source(subject, name, general, answers), inputs)


@SETTINGS
@given(data=st.data())
def test_any_drawable_unicode_survives_both_renderers(data: st.DataObject) -> None:
    alphabet = _covered()
    answers = data.draw(
        st.lists(st.tuples(_texts(alphabet), _texts(alphabet)), min_size=1, max_size=3)
    )
    _check(_source("emne", "Navn", "", answers), [t for pair in answers for t in pair])


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_at_all_renders(text: str) -> None:
    """Emoji, CJK, control characters, lone surrogates: the letter is still made."""
    source = _source(text.replace("\n", " ")[:200] or "x", "Navn", text, [(text, text)])
    letter = build_letter(
        source, TemplateSet(merged()), letter_date=dt.date(2025, 6, 3), draft=False
    )
    assert render_pdf(letter).startswith(b"%PDF")
    assert render_docx(letter).startswith(b"PK")
