"""The texts of a reply letter that the secretariat edits: opening, closing, headings,
page header and footer, file name. Each is text with named fields in braces
(``Kære {navn}``); ``{{`` and ``}}`` write a brace.

An unknown field is an error when the template is saved (``validate_texts``), never when
a letter is made. Stored per administration in the database (``template_store``); a text
left empty for an administration uses the common one. docs/letters.md lists the fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kkdesk.core.errors import FieldError

# Fields every text may use (values: kkdesk.core.letters.build.case_fields).
COMMON_FIELDS: dict[str, str] = {
    "navn": "spørgerens navn",
    "parti": "partibogstav (tomt uden parti)",
    "navn_parti": "navn og parti i parentes, fx Åse Holm (Ø)",
    "emne": "sagens emne",
    "dato": "modtagelsesdato(er), fx 22. maj 2025 eller d. hhv. 12. og 15. januar 2021",
    "forvaltning": "forvaltningens navn",
    "forvaltning_genitiv": "forvaltningens navn i genitiv, fx Økonomiforvaltningens",
    "forvaltning_kode": "forvaltningens kode, fx ØKF",
    "enhed": "enhedens navn (tomt uden enhed)",
    "sagsnr": "sagsnummer",
    "sagsbehandler": "sagsbehandlerens navn",
    "brevdato": "brevets dato, fx 3. juni 2025",
    "dato_kort": "brevets dato som DD.MM.ÅÅ",
    "underskriver": "underskriverens navn",
}
NUMBER_FIELD = {"nr": "spørgsmålets nummer"}
APPENDIX_FIELDS = {"nr": "bilagets nummer", "titel": "bilagets titel"}
PAGE_FIELDS = {"side": "sidens nummer", "sider": "antal sider"}
INTERIM_FIELDS = {"svarfrist": "den dag, svaret senest kommer (fx torsdag 19. juni 2025)"}


@dataclass(frozen=True)
class TemplateKey:
    """One editable text: its key, Danish label, default and the fields it may use."""

    key: str
    label: str
    default: str
    extra_fields: tuple[tuple[str, str], ...] = ()
    multiline: bool = False
    common_only: bool = False

    @property
    def fields(self) -> dict[str, str]:
        return {**COMMON_FIELDS, **dict(self.extra_fields)}


TEMPLATE_KEYS: tuple[TemplateKey, ...] = (
    TemplateKey("kommune", "Kommunens navn i brevhovedet", "Københavns Kommune"),
    TemplateKey("modtager", "Modtager (brevhovedet, til venstre)", "{navn_parti}", multiline=True),
    TemplateKey("afsender_ekstra", "Ekstra linjer i afsenderblokken", "", multiline=True),
    TemplateKey("hilsen", "Starthilsen (Kære …)", "Kære {navn}"),
    TemplateKey(
        "indledning",
        "Indledning, én henvendelse",
        "Tak for din henvendelse af {dato}, hvor du har stillet spørgsmål til {forvaltning} "
        "vedrørende {emne}.",
        multiline=True,
    ),
    TemplateKey(
        "indledning_flere",
        "Indledning, flere henvendelser",
        "Tak for dine henvendelser af {dato}, hvor du har stillet spørgsmål til {forvaltning} "
        "vedrørende {emne}.",
        multiline=True,
    ),
    TemplateKey(
        "politikersvar_titel",
        "Overskrift, politikersvar",
        "Politikersvar til {navn_parti} vedr. {emne}",
    ),
    TemplateKey(
        "politikersvar_indledning",
        "Indledning, politikersvar (én dato)",
        "{navn} har den {dato} stillet følgende spørgsmål:",
        multiline=True,
    ),
    TemplateKey(
        "politikersvar_indledning_flere",
        "Indledning, politikersvar (flere datoer)",
        "{navn} har {dato} stillet følgende spørgsmål:",
        multiline=True,
    ),
    TemplateKey("spoergsmaal_rubrik", "Rubrik over alle spørgsmål", "Spørgsmål"),
    TemplateKey(
        "spoergsmaal_nr",
        "Rubrik for hvert spørgsmål",
        "Spørgsmål {nr}",
        tuple(NUMBER_FIELD.items()),
    ),
    TemplateKey("svar_rubrik", "Rubrik over svaret", "{forvaltning_genitiv} svar"),
    TemplateKey("ad_nr", "Svarmærke (layout »Ad N«)", "Ad {nr}:", tuple(NUMBER_FIELD.items())),
    TemplateKey(
        "svar_paa_nr",
        "Svarrubrik (layout »Svar på spørgsmål N«)",
        "Svar på spørgsmål {nr}:",
        tuple(NUMBER_FIELD.items()),
    ),
    TemplateKey(
        "foreloebigt_svar",
        "Foreløbigt svar: teksten efter indledningen",
        "Vi arbejder på at besvare dine spørgsmål, men har brug for lidt mere tid. "
        "Du kan forvente at få svar senest {svarfrist}.",
        tuple(INTERIM_FIELDS.items()),
        multiline=True,
    ),
    TemplateKey("afslutning", "Afslutning", "Med venlig hilsen"),
    TemplateKey("afslutning_politikersvar", "Afslutning, politikersvar (tom: ingen)", ""),
    TemplateKey("bilag_rubrik", "Rubrik over bilagslisten", "Bilag"),
    TemplateKey(
        "bilag_linje",
        "Linje i bilagslisten",
        "Bilag {nr} – {titel}",
        tuple(APPENDIX_FIELDS.items()),
    ),
    TemplateKey(
        "sidehoved",
        "Sidehoved fra side 2",
        "{forvaltning} · Sagsnr. {sagsnr} · {brevdato}",
        tuple(PAGE_FIELDS.items()),
    ),
    TemplateKey("sidefod", "Sidefod", "Side {side} af {sider}", tuple(PAGE_FIELDS.items())),
    TemplateKey(
        "filnavn",
        "Filnavn ved eksport (uden .pdf/.docx)",
        "{dato_kort} - svar til {navn_parti} om {emne}",
        common_only=True,
    ),
    TemplateKey(
        "foreloebigt_filnavn",
        "Filnavn for foreløbigt svar (uden .pdf/.docx)",
        "{dato_kort} - foreløbigt svar til {navn_parti} om {emne}",
        common_only=True,
    ),
)
KEYS: dict[str, TemplateKey] = {k.key: k for k in TEMPLATE_KEYS}
DEFAULTS: dict[str, str] = {k.key: k.default for k in TEMPLATE_KEYS}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Field:
    """A named field inside a template text."""

    name: str


Part = str | Field


class TemplateSyntaxError(ValueError):
    """A template text that cannot be read (Danish message)."""


def parse_template(text: str) -> tuple[Part, ...]:
    """Split a template text into literal text and fields."""
    parts: list[Part] = []
    literal: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token == "{{":
            literal.append("{")
        elif token == "}}":
            literal.append("}")
        elif token in ("{", "}"):
            other = "}" if token == "{" else "{"
            raise TemplateSyntaxError(
                f"'{token}' uden '{other}' (skriv {token}{token} for at få tegnet selv)."
            )
        else:
            name = (match.group(1) or "").strip()
            if not name:
                raise TemplateSyntaxError("tomme klammer {} – skriv et feltnavn, fx {navn}.")
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(Field(name))
    literal.append(text[position:])
    if "".join(literal):
        parts.append("".join(literal))
    return tuple(parts)


def validate_text(key: str, text: str) -> list[FieldError]:
    """Problems of one text: unreadable braces or unknown fields (Danish messages)."""
    spec = KEYS[key]
    try:
        parts = parse_template(text)
    except TemplateSyntaxError as exc:
        return [FieldError(spec.label, str(exc))]
    unknown = [p.name for p in parts if isinstance(p, Field) and p.name not in spec.fields]
    if not unknown:
        return []
    names = ", ".join("{" + name + "}" for name in dict.fromkeys(unknown))
    allowed = ", ".join("{" + name + "}" for name in spec.fields)
    word = "ukendt felt" if len(set(unknown)) == 1 else "ukendte felter"
    return [FieldError(spec.label, f"{word} {names}. Mulige felter: {allowed}.")]


def validate_texts(texts: Mapping[str, str]) -> list[FieldError]:
    """Check a set of template texts before they are saved."""
    errors: list[FieldError] = []
    for key, text in texts.items():
        if key not in KEYS:
            errors.append(FieldError(key, "er ikke en kendt skabelontekst."))
            continue
        errors += validate_text(key, text)
    return errors


_EMPTY_PARENS = re.compile(r"\s*\(\s*\)")
_SPACES = re.compile(r"[ \t]{2,}")


def fill(template: str | tuple[Part, ...], values: Mapping[str, str]) -> str:
    """The text with its fields filled in.

    Danish details handled here rather than in every template: a field whose value ends
    in ``.``, ``?`` or ``!`` swallows a ``.`` that follows it in the template (no
    "vedrørende hvorfor?."), and an empty ``()`` left by an empty field is dropped with
    the space before it ("Åse Holm ()" → "Åse Holm").
    """
    parts = parse_template(template) if isinstance(template, str) else template
    out: list[str] = []
    skip_dot = False
    had_empty = False
    for part in parts:
        if isinstance(part, Field):
            value = values.get(part.name, "")
            had_empty = had_empty or not value
            out.append(value)
            skip_dot = value.rstrip().endswith((".", "?", "!"))
        else:
            out.append(part[1:] if skip_dot and part.startswith(".") else part)
            skip_dot = False
    text = "".join(out)
    if had_empty:
        text = _SPACES.sub(" ", _EMPTY_PARENS.sub("", text))
    return text


@dataclass(frozen=True)
class TemplateSet:
    """The effective texts for one administration (every key present) and its logo."""

    texts: Mapping[str, str]
    logo: bytes | None = None

    def __getitem__(self, key: str) -> str:
        return self.texts[key]


def merged(*layers: Mapping[str, str]) -> dict[str, str]:
    """Defaults overridden by each layer in turn; an empty text in an administration's
    layer means "use the common text" — except where the common text may itself be
    empty on purpose, which the common layer (the first after the defaults) decides."""
    result = dict(DEFAULTS)
    for index, layer in enumerate(layers):
        for key, value in layer.items():
            if key in result and (value or index == 0):
                result[key] = value
    return result
