"""Fictitious reply letters in the forms of the archive (all three layouts, both
openings), rendered as PDF-extracted text with its artefacts, as .docx and as .pdf.

Used by the archive tests and by bench/search.py (import throughput). All names and
texts are made up.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from kkdesk.core.dates import MONTHS

ADMINS = {
    "BIF": (
        "Beskæftigelses- og Integrationsforvaltningen",
        "Beskæftigelses- og Integrationsforvaltningens",
    ),
    "TMF": ("Teknik- og Miljøforvaltningen", "Teknik- og Miljøforvaltningens"),
    "ØKF": ("Økonomiforvaltningen", "Økonomiforvaltningens"),
    "KFF": ("Kultur- og Fritidsforvaltningen", "Kultur- og Fritidsforvaltningens"),
    "SUF": ("Sundheds- og Omsorgsforvaltningen", "Sundheds- og Omsorgsforvaltningens"),
}


@dataclass
class LetterSpec:
    """What a letter says; ``render_text`` writes it, the parser should get it back."""

    opening: str
    layout: str
    asker: str
    party: str | None
    dates: list[dt.date]
    admin: str
    subject: str
    questions: list[str]
    answers: list[str]
    general: str = ""
    preamble: str = ""
    unit: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    bilag: list[str] = field(default_factory=list)

    @property
    def expected_questions(self) -> list[str]:
        texts = list(self.questions)
        if self.preamble:
            texts[0] = self.preamble + "\n\n" + texts[0]
        return texts


def date_phrase(days: list[dt.date]) -> str:
    """ "22. maj 2025", "d. hhv. 12. og 15. januar 2021", "3. marts og 9. april 2024"."""
    days = sorted(days)
    if len(days) == 1:
        d = days[0]
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    if all(d.month == days[0].month and d.year == days[0].year for d in days):
        first = ", ".join(f"{d.day}." for d in days[:-1])
        last = days[-1]
        return f"d. hhv. {first} og {last.day}. {MONTHS[last.month - 1]} {last.year}"
    same_year = all(d.year == days[-1].year for d in days)
    parts = [f"{d.day}. {MONTHS[d.month - 1]}" + ("" if same_year else f" {d.year}") for d in days]
    return f"{', '.join(parts[:-1])} og {parts[-1]}" + (f" {days[-1].year}" if same_year else "")


def logical_lines(spec: LetterSpec) -> list[str]:
    """The letter as paragraphs and headings ("" marks a blank line)."""
    name, genitive = ADMINS[spec.admin]
    out: list[str] = []
    if spec.unit:
        out += [spec.unit, ""]
    subject = spec.subject[0].lower() + spec.subject[1:]
    phrase = date_phrase(spec.dates)
    if spec.opening == "kaere":
        out += [f"Kære {spec.asker}", ""]
        which = "din henvendelse" if len(spec.dates) == 1 else "dine henvendelser"
        out += [
            f"Tak for {which} af {phrase}, hvor du har stillet spørgsmål til {name} "
            f"vedrørende {subject}.",
            "",
        ]
    else:
        party = f" ({spec.party})" if spec.party else ""
        out += [f"Politikersvar til {spec.asker}{party} vedr. {subject}", ""]
        out += [f"{spec.asker} har den {phrase} stillet følgende spørgsmål:", ""]
    if spec.layout == "per_question":
        for number, (question, answer) in enumerate(
            zip(spec.questions, spec.answers, strict=True), start=1
        ):
            out += [f"Spørgsmål {number}", question, "", f"{genitive} svar"]
            out += _paragraphs(answer)
    else:
        if spec.opening == "kaere":
            out += ["Spørgsmål"]
        if spec.preamble:
            out += _paragraphs(spec.preamble)
        for number, question in enumerate(spec.questions, start=1):
            out += [f"{number}. {question}", ""]
        out += [f"{genitive} svar"]
        if spec.general:
            out += _paragraphs(spec.general)
        for number, answer in enumerate(spec.answers, start=1):
            head = f"Ad {number}: " if spec.layout == "ad" else f"Svar på spørgsmål {number}:"
            paragraphs = _paragraphs(answer)
            if spec.layout == "ad":
                out += [head + paragraphs[0], *paragraphs[1:]]
            else:
                out += [head, *paragraphs]
    if spec.signer_name:
        out += ["Med venlig hilsen", "", spec.signer_name]
        if spec.signer_title:
            out += [spec.signer_title]
        out += [""]
    if spec.bilag:
        out += ["Bilag"]
        out += [f"Bilag {i} – {title}" for i, title in enumerate(spec.bilag, start=1)]
        out += [
            "",
            "Bilag 1",
            spec.bilag[0],
            "",
            "Her følger bilagets indhold, som ikke er en del af brevet.",
        ]
    return out


def _paragraphs(text: str) -> list[str]:
    result: list[str] = []
    for paragraph in text.split("\n\n"):
        result += [*paragraph.split("\n"), ""]
    return result


def _wrap(text: str, width: int, hyphenate: bool, rng: random.Random) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
            continue
        room = width - len(current) - 2
        if hyphenate and word.isalpha() and word.islower() and len(word) >= 6 and room >= 3:
            cut = min(room, len(word) - 3)
            if cut >= 3 and rng.random() < 0.9:
                lines.append(f"{current} {word[:cut]}-")
                current = word[cut:]
                continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def render_text(
    spec: LetterSpec,
    *,
    width: int = 68,
    hyphenate: bool = True,
    double_space: bool = False,
    seed: int = 0,
) -> str:
    """The letter as text pulled out of a PDF: wrapped lines with trailing spaces, words
    hyphenated at line ends, optionally a blank line after every line."""
    rng = random.Random(seed)
    out: list[str] = []
    for line in logical_lines(spec):
        if not line:
            out.append(" ")
            continue
        for wrapped in _wrap(line, width, hyphenate, rng):
            out.append(wrapped + " ")
            if double_space:
                out.append("")
    return "\n".join(out) + "\n"


def write_docx(spec: LetterSpec, path: Path) -> None:
    """The letter as a Word document (one paragraph per paragraph)."""
    import docx

    document = docx.Document()
    for line in logical_lines(spec):
        if line:
            document.add_paragraph(line)
    document.save(str(path))


def write_pdf(spec: LetterSpec, path: Path, *, seed: int = 0) -> None:
    """The letter as a PDF with a text layer: wrapped, hyphenated lines and a page
    header (the unit or administration) on every page after the first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    header = spec.unit or ADMINS[spec.admin][0]
    lines = render_text(spec, width=80, seed=seed).split("\n")
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 10)
    y = 780
    for line in lines:
        if y < 60:
            pdf.showPage()
            pdf.setFont("Helvetica", 10)
            pdf.drawString(60, 800, header)
            y = 760
        pdf.drawString(60, y, line.rstrip())
        y -= 14
    pdf.save()


def samples() -> list[LetterSpec]:
    """Letters in the form of each kind in the archive (own, fictitious text)."""
    return [
        LetterSpec(
            opening="kaere",
            layout="ad",
            asker="Rune Kastrupsen",
            party=None,
            dates=[dt.date(2024, 3, 14)],
            admin="BIF",
            subject="Ventetider i jobcentrenes borgerservice",
            preamble=(
                "Flere borgere har fortalt mig, at de har ventet i mere end en time i "
                "jobcentrets reception uden at få besked om, hvornår de ville blive kaldt ind.\n\n"
                "Jeg beder derfor om svar på følgende:"
            ),
            questions=[
                "Hvor lang er den gennemsnitlige ventetid i receptionen i jobcentrene?",
                "Hvilke tiltag overvejer forvaltningen for at nedbringe ventetiderne?",
                "Får borgerne besked, når ventetiden overstiger en halv time?",
            ],
            general=(
                "Forvaltningen beklager, at borgerne har oplevet lange ventetider. Alle "
                "borgere skal have en god og værdig modtagelse i jobcentrene.\n\n"
                "Hvis en borger vil klage, kan det ske til borgerrådgiveren på telefon "
                "33 66 14 00.\n\n"
                "Nedenfor følger svarene på dine spørgsmål."
            ),
            answers=[
                "Den gennemsnitlige ventetid var i fjerde kvartal sytten minutter, men med store "
                "udsving over ugen, især mandag formiddag.",
                "Forvaltningen vil indføre et digitalt kønummer og flytte medarbejdere til "
                "receptionen i spidsbelastningen.\n\nDerudover undersøges muligheden for at "
                "booke tider på forhånd.",
                "Ja, fra næste måned vises den forventede ventetid på en skærm i receptionen.",
            ],
            signer_name="Karin Holmslund",
            signer_title="Administrerende direktør",
        ),
        LetterSpec(
            opening="kaere",
            layout="per_question",
            asker="Ida Bønnelykke",
            party="F",
            dates=[dt.date(2021, 1, 12), dt.date(2021, 1, 15)],
            admin="TMF",
            subject="Støjmålinger ved Sydhavnens nye byggepladser",
            questions=[
                "Hvor mange støjmålinger har forvaltningen foretaget i år?",
                "Hvilke grænseværdier gælder for natarbejde på byggepladserne?",
            ],
            answers=[
                "Forvaltningen har foretaget tolv målinger fordelt på fire byggepladser. Tre af "
                "målingerne viste overskridelser, som er fulgt op med påbud.\n\nResultaterne "
                "offentliggøres løbende på kommunens hjemmeside.",
                "Om natten må støjen ikke overstige 40 dB(A) ved nærmeste bolig. Dispensation "
                "kræver en særskilt ansøgning:\n- begrundelse for natarbejdet\n- plan for "
                "varsling af naboerne\n- tidsrum for arbejdet",
            ],
            signer_name="Mogens Åkjær",
            signer_title="Direktør",
        ),
        LetterSpec(
            opening="politikersvar",
            layout="svar_paa",
            asker="Sigrid Ømark Lund",
            party="Ø",
            dates=[dt.date(2025, 9, 3)],
            admin="ØKF",
            unit="Ligestillingsenheden",
            subject="Workshop om mangfoldighed i rekrutteringen",
            questions=[
                "Hvilke anbefalinger kom der ud af workshoppen om mangfoldighed i rekrutteringen?",
                "Hvordan vil forvaltningen følge op på anbefalingerne?",
            ],
            answers=[
                "Der kom i alt 84 anbefalinger, som er samlet i fire temaer.\n\nLedelse og "
                "ansvar\n\nDeltagerne pegede på, at lederne skal gå forrest og sætte "
                "tydelige mål for mangfoldighed i deres enheder.",
                "Ligestillingsenheden samler anbefalingerne i et notat, som forelægges "
                "udvalget inden årets udgang.",
            ],
            bilag=["Anbefalinger fra workshoppen", "Deltagerliste"],
        ),
        LetterSpec(
            opening="politikersvar",
            layout="ad",
            asker="Jonas Vestervig",
            party="V",
            dates=[dt.date(2023, 11, 28), dt.date(2023, 12, 4)],
            admin="KFF",
            subject="Åbningstider i bibliotekerne på Amager",
            questions=[
                "Hvorfor er åbningstiden i Sundby Bibliotek blevet kortere?",
                "Hvad koster det at udvide åbningstiden med to timer om ugen?",
            ],
            general="Åbningstiderne blev ændret som en del af budgetaftalen.",
            answers=[
                "Åbningstiden blev afkortet for at frigøre midler til arrangementer for børn.",
                "En udvidelse med to timer om ugen koster ca. 180.000 kr. om året.",
            ],
            signer_name="Lise Brandholm",
            signer_title=None,
        ),
        LetterSpec(
            opening="kaere",
            layout="svar_paa",
            asker="Ahmed Sørensen",
            party=None,
            dates=[dt.date(2022, 6, 1)],
            admin="SUF",
            subject="Rengøring på plejecentrene",
            questions=[
                "Hvor ofte gøres der rent i beboernes lejligheder?",
                "Er der forskel på plejecentrene?",
            ],
            answers=[
                "Der gøres rent hver anden uge efter en fælles standard.",
                "Nej, standarden er den samme på alle kommunens plejecentre.",
            ],
            signer_name="Bodil Ærenlund",
            signer_title="Konstitueret direktør",
        ),
    ]
