"""What the user typed, as search terms both backends understand.

Words are runs of letters and digits, lower-cased (æ, ø and å stay what they are).
``"to ord"`` in quotes is a phrase; a trailing ``*`` makes a word a prefix, and while the
user types, the last word is a prefix too ("stø" already finds "støj").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Marks around highlighted words in snippets (control characters never typed by a user).
HL_START = "\x02"
HL_END = "\x03"

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
MAX_TERMS = 12


@dataclass(frozen=True)
class Term:
    """One word (or a phrase of several) that every hit must contain."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        """The term in SQLite FTS5 query syntax."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        """The term in PostgreSQL ``to_tsquery`` syntax."""
        parts = [f"'{w}'" for w in self.words]
        if self.prefix:
            parts[-1] += ":*"
        return " <-> ".join(parts)

    def pattern(self) -> str:
        """A regular expression that finds the term in lower-cased text."""
        body = r"[\W_]+".join(re.escape(w) for w in self.words)
        tail = "" if self.prefix else r"(?![^\W_])"
        return r"(?<![^\W_])" + body + tail


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` as the index sees them."""
    return _WORD.findall(text.lower())


def parse_query(text: str, *, prefix_last: bool = True) -> list[Term]:
    """The terms of a search box's text (at most ``MAX_TERMS``)."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            phrase_words = tuple(words(phrase))
            if phrase_words:
                terms.append(Term(phrase_words))
            continue
        explicit = word.endswith("*")
        for index, part in enumerate(found := words(word)):
            terms.append(Term((part,), prefix=explicit and index == len(found) - 1))
    if terms and prefix_last and not text.endswith((" ", '"')) and len(terms[-1].words) == 1:
        terms[-1] = Term(terms[-1].words, prefix=True)
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_TERMS]
