"""Fill a kkdesk database with realistic synthetic cases, fast.

    python bench/generate.py --db sqlite:///PATH --cases 100000 [--seed 1]

Opens (creates, migrates, seeds) the database with ``open_database`` and bulk-inserts
askers, officers and cases with their received dates, questions, answers and an
"oprettet" history line, in one transaction with SQLAlchemy Core ``insert()``
executemany. Every column is filled the way ``kkdesk.core.cases.create_case`` would fill
it (case numbers per year of the earliest received date, the counters, ``search_text``,
``version`` 1), so the app, the CLI and the export treat the cases like real ones.

All people, places and texts are made up from the lists below. Works on SQLite and
PostgreSQL URLs. Also importable: ``generate(url, n, seed)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.orm import InstrumentedAttribute

from kkdesk.core.cases import format_case_number
from kkdesk.core.database import open_database
from kkdesk.core.drafts import normalise_search_text
from kkdesk.core.models import (
    Administration,
    Asker,
    Case,
    CaseEvent,
    CaseNumberCounter,
    InquiryKind,
    Officer,
    Party,
    Question,
    ReceivedDate,
    Unit,
)
from kkdesk.core.vocab import CHANNEL_LABELS, STATUS_LABELS

USER = "bench"
FIRST_DATE = dt.date(2018, 1, 1)
CLOSED_DAYS = {(1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31)}
CHUNK = 2000  # cases per executemany round (bounds memory; one transaction overall)

# fmt: off
# --------------------------------------------------------------------------- people

FIRST_NAMES = (
    "Anne", "Mette", "Hanne", "Lone", "Susanne", "Camilla", "Rikke", "Line", "Sofie", "Ida",
    "Emma", "Freja", "Astrid", "Karen", "Birgitte", "Pernille", "Signe", "Maja", "Nanna", "Louise",
    "Trine", "Dorthe", "Helle", "Charlotte", "Julie", "Katrine", "Marianne", "Tove", "Ulla",
    "Gitte", "Sara", "Amalie", "Cecilie", "Josefine", "Lars", "Jens", "Søren", "Peter", "Henrik",
    "Morten", "Niels", "Rasmus", "Mikkel", "Jesper", "Anders", "Thomas", "Mads", "Kasper", "Jakob",
    "Frederik", "Christian", "Martin", "Jonas", "Bjørn", "Torben", "Ole", "Poul", "Kristian",
    "Emil", "Oliver", "Asger", "Troels", "Jørgen", "Steen", "Claus", "Bo", "Klaus", "Åge", "Ømer",
    "Ahmad", "Fatima", "Yasmin", "Ali", "Leyla", "Hassan", "Aisha", "Karim", "Zainab",
)
MIDDLE_NAMES = (
    "Marie", "Louise", "Sofie", "Kristine", "Elisabeth", "Bach", "Holm", "Lund", "Vestergaard",
    "Krogh", "Juul", "Dahl", "Winther", "Kjær", "Brøndum", "Skovgaard", "Bøgh", "Fogh",
)
LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Frederiksen", "Lauridsen", "Holm", "Schmidt", "Østergaard", "Kjærgaard",
    "Søgaard", "Bruun", "Dalgaard", "Brøgger", "Ravn", "Lindholm", "Høgh", "Åberg", "Ærbøe",
    "Friis", "Bech", "Vinther", "Kofoed", "Skytte", "Nørgaard", "Storm", "Hjort", "Lykke",
    "Bisgaard", "Kaas", "Munk", "Thygesen", "Bundgaard", "Yilmaz", "Hussein", "Ahmadi", "Khan",
    "Özdemir", "Nguyen", "Kowalski", "Abdi",
)
# Roughly the balance of a big city council over two election periods.
PARTY_WEIGHTS = {
    "A": 16, "Ø": 18, "F": 14, "B": 12, "V": 10, "C": 10, "I": 6, "Å": 5, "O": 4,
    "M": 3, "Æ": 2,
}
ORGANISATIONS = (
    "Foreningen Grønne Gårde", "Beboerforeningen Sjællandsgade", "Lokaludvalget i Valby",
    "Lokaludvalget på Amager Øst", "Cyklistforeningen i København",
    "Forældrerådet på Ørestad Skole", "Grundejerforeningen Solbakken", "Ældresagen Nørrebro",
    "Handelsforeningen Strøget", "Idrætsforeningen Fremad Sydhavn", "Kunstnerforeningen Kødbyen",
    "Lejerforeningen Mjølnerparken",
)
MEDIA = (
    "Dagbladet Hovedstaden", "Lokalavisen Østerbro", "Radio København", "TV Øresund",
    "Ugebladet Amager", "Netavisen Byrummet", "Fagbladet Kommunal",
)

# --------------------------------------------------------------------------- words

PLACES = (
    "Enghave Plads", "Nørrebrogade", "Amagerbrogade", "Valby Langgade", "Jagtvej",
    "Sønder Boulevard", "Blågårds Plads", "Islands Brygge", "Kalvebod Brygge", "Åboulevarden",
    "Ågade", "Halmtorvet", "Gothersgade", "Kongens Nytorv", "Rådhuspladsen", "Strandvejen",
    "Frederikssundsvej", "Tagensvej", "Bispebjerg Bakke", "Tingbjerg Torv", "Folehaven",
    "Sjællandsgade", "Øresundsvej", "Ørestads Boulevard", "Kløvermarksvej", "Refshaleøen",
    "Nordhavnsvej", "Teglholmen", "Sydhavns Plads", "Gammel Køge Landevej", "Vigerslev Allé",
    "Istedgade", "Vesterbrogade", "Østerbrogade", "Sundbyvester Plads", "Dronning Louises Bro",
    "Christianshavns Torv", "Torvegade", "Husumvej", "Peter Bangs Vej",
)
DISTRICTS = (
    "Indre By", "Østerbro", "Nørrebro", "Vesterbro", "Kongens Enghave", "Valby", "Vanløse",
    "Brønshøj-Husum", "Bispebjerg", "Amager Øst", "Amager Vest", "Ørestad", "Sydhavnen",
    "Nordhavn", "Christianshavn", "Tingbjerg", "Sundby", "Sydvest",
)
PARKS = (
    "Fælledparken", "Søndermarken", "Enghaveparken", "Kongens Have", "Ørstedsparken",
    "Superkilen", "Utterslev Mose", "Amager Fælled", "Valbyparken", "Nørrebroparken",
    "Kløvermarken", "Mimersparken", "Damhussøen", "Hørsholmparken",
)
BATHING = (
    "Amager Strandpark", "Havnebadet Islands Brygge", "Havnebadet Fisketorvet", "Sluseholmen",
    "Svanemøllestranden", "Bassin 7", "Sundby Søbad",
)
SERVICES = (
    "hjemmehjælp", "plejehjemsplads", "genoptræning", "BPA-ordning", "handicapbil",
    "botilbud", "misbrugsbehandling", "psykologhjælp til unge", "børnetandpleje",
    "aflastningsplads", "ressourceforløb", "fleksjobvisitation", "vuggestueplads",
    "PPR-udredning", "specialskoleplads", "hjælpemidler", "boligsocial anvisning",
    "sprogscreening", "førtidspension", "rehabiliteringsforløb", "madservice",
    "demensudredning", "støttekontaktperson", "byggetilladelse", "beboerparkeringslicens",
)
PROJECTS = (
    "Lynetteholm", "metroforlængelsen til Sydhavnen", "renoveringen af Rådhuset",
    "den nye skole i Ørestad Syd", "kulturhuset i Nordvest", "cykelbroen over Inderhavnen",
    "skybrudssikringen af Enghaveparken", "det nye svømmeanlæg på Amager",
    "omlægningen af fjernvarmenettet", "de almene boliger i Nordhavn",
    "idrætshallen i Valby", "renoveringen af Kødbyen", "Ørestad Idrætspark",
    "udvidelsen af Hovedbiblioteket", "letbanen langs Ring 3", "Østlig Ringvej",
    "helhedsplanen for Tingbjerg", "ombygningen af Nørrebrogade", "Fremtidens Plejehjem",
    "den digitale borgerportal", "elbusserne på linje 5C", "havnetunnelen",
    "Kalvebod Bølge", "ungdomsboligerne på Grønttorvet", "Søernes oprensning",
)
INSTITUTIONS = (
    "Bispebjerg Skole", "Børnehuset Mælkebøtten", "Plejecenter Solgården",
    "Hovedbiblioteket", "Valby Idrætspark", "Ungdomsskolen på Amager",
    "Vesterbro Svømmehal", "Natcaféen på Halmtorvet", "Aktivitetscentret i Husum",
    "Fritidshjemmet Ørnereden", "Skolen ved Søerne", "Plejehjemmet Kastanjehuset",
    "Vuggestuen Spirrevippen", "Kulturhuset Islands Brygge", "Sundhedshuset Østerbro",
    "Bostedet Lærkereden", "Jobcenter Nørrebro", "Tingbjerg Bibliotek",
    "Idrætshuset Ørestad", "Plejecenter Æblehaven", "Ørestad Skole", "Heldagsskolen Åløkke",
)
GROUPS = (
    "ældre borgere", "unge ledige", "hjemløse", "enlige forsørgere",
    "børn med særlige behov", "nyankomne flygtninge", "psykisk sårbare borgere",
    "borgere med handicap", "skolebørn", "cyklister", "erhvervsdrivende", "studerende",
    "pårørende til demente", "udsatte grønlændere", "førtidspensionister", "seniorer",
)
STAFF = (
    "pædagoger", "social- og sundhedsassistenter", "sygeplejersker", "lærere", "tolke",
    "socialrådgivere", "ingeniører", "tandplejere", "rengøringsassistenter",
)
TENDERS = (
    "rengøringen på skolerne", "vinterbekæmpelsen", "madservice til ældre",
    "driften af parkeringsautomaterne", "IT-driften", "kørsel til specialskoler",
    "vedligeholdelsen af legepladser", "tolkebistand",
)
CULTURE = (
    "spillestederne", "de små teatre", "lokale festivaler", "billedkunst i byrummet",
    "foreningslivet", "børnekulturen", "kulturnatten", "amatørteatrene",
)
IT_THINGS = (
    "kunstig intelligens i sagsbehandlingen", "det nye ESDH-system", "cloudløsninger",
    "sensorer i byrummet", "videoovervågning", "digital post til borgerne",
)
NUISANCES = ("rotter", "graffiti", "skrald", "larm", "løse hunde", "parkerede løbehjul")

# (template, administrations that usually answer it)
SUBJECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("støjgener fra byggeriet på {sted}", ("TMF",)),
    ("ventetid på {ydelse}", ("SUF", "SOF", "BIF")),
    ("økonomien i {projekt}", ("ØKF", "TMF")),
    ("parkeringsforholdene i {bydel}", ("TMF",)),
    ("trafiksikkerheden ved {institution}", ("TMF", "BUF")),
    ("normeringerne i daginstitutionerne i {bydel}", ("BUF",)),
    ("indeklimaet på {institution}", ("BUF", "KFF", "SUF")),
    ("tidsplanen for {projekt}", ("TMF", "ØKF")),
    ("renholdelsen af {sted}", ("TMF",)),
    ("åbningstiderne på {institution}", ("KFF",)),
    ("sagsbehandlingstiden for {ydelse}", ("SOF", "SUF", "BIF")),
    ("tilbud til {gruppe} i {bydel}", ("SOF", "BIF", "SUF")),
    ("forsinkelserne i {projekt}", ("TMF", "ØKF")),
    ("udgifterne til eksterne konsulenter i {år}", ("ØKF",)),
    ("sygefraværet på {institution}", ("SUF", "BUF")),
    ("{gener} i gårdene omkring {sted}", ("TMF",)),
    ("cykelstien på {sted}", ("TMF",)),
    ("belysningen i {park}", ("TMF",)),
    ("fremtiden for {institution}", ("KFF", "BUF", "SUF")),
    ("beskæftigelsesindsatsen for {gruppe}", ("BIF",)),
    ("sanktioner over for {gruppe} på kontanthjælp", ("BIF",)),
    ("elevtallet på {institution}", ("BUF",)),
    ("klimatilpasningen omkring {sted}", ("TMF",)),
    ("luftforureningen på {sted}", ("TMF", "SUF")),
    ("hjemløse i {bydel}", ("SOF",)),
    ("madordningen på {institution}", ("BUF", "SUF")),
    ("brugen af vikarer i {område}", ("BUF", "SUF")),
    ("affaldssorteringen i {bydel}", ("TMF",)),
    ("træfældningen i {park}", ("TMF",)),
    ("lokaler til foreninger i {bydel}", ("KFF",)),
    ("tilskuddet til {kultur}", ("KFF",)),
    ("byggesagsbehandlingen på {sted}", ("TMF",)),
    ("trygheden i nattelivet på {sted}", ("SOF", "TMF", "ØKF")),
    ("manglen på {fag}", ("SUF", "BUF", "ØKF")),
    ("kommunens brug af {it}", ("ØKF",)),
    ("ligestillingen i {område}", ("ØKF",)),
    ("tilsynet med {institution}", ("SUF", "SOF", "BUF")),
    ("vandkvaliteten ved {badested}", ("TMF", "KFF")),
    ("institutionspladser i {bydel}", ("BUF",)),
    ("budgetoverskridelserne i {projekt}", ("ØKF",)),
    ("udbuddet af {udbud}", ("ØKF", "TMF", "SUF")),
    ("henvendelser om {gener} på {sted}", ("TMF",)),
    ("tilgængeligheden for kørestolsbrugere på {institution}", ("KFF", "TMF", "SUF")),
    ("lokalplanen for {sted}", ("TMF", "ØKF")),
    ("svømmeundervisningen i {bydel}", ("BUF", "KFF")),
    ("ladestanderne til elbiler i {bydel}", ("TMF",)),
    ("boligsociale indsatser i {bydel}", ("SOF", "ØKF")),
    ("kommunens aftaler om {projekt}", ("ØKF",)),
)
AREAS = ("ældreplejen", "folkeskolen", "daginstitutionerne", "jobcentrene", "socialområdet",
         "kommunens ledelseslag", "byggeriet", "kulturlivet")
SUBJECT_PREFIXES = (
    ("", 84), ("Opfølgning på ", 6), ("Yderligere spørgsmål om ", 4),
    ("Aktindsigt i ", 3), ("Klage over ", 3),
)

QUESTIONS = (
    "Kan forvaltningen oplyse, hvor mange henvendelser der har været om {emne} i {år}?",
    "Hvad er forvaltningens vurdering af {emne}?",
    "Hvilke initiativer har forvaltningen taget vedrørende {emne}?",
    "Kan forvaltningen redegøre for tidsplanen for arbejdet med {emne}?",
    "Hvor mange borgere er berørt af {emne}, og hvordan er de blevet orienteret?",
    "Hvilke klager har forvaltningen modtaget om {emne} det seneste år?",
    "Hvordan sikrer forvaltningen, at gældende regler overholdes i forbindelse med {emne}?",
    "Hvilke økonomiske konsekvenser har {emne} for budgettet i {år}?",
    "Hvornår forventer forvaltningen, at problemerne med {emne} er løst?",
    "Hvordan ligger Københavns Kommune på dette område sammenlignet med Aarhus og Odense?",
    "Er forvaltningen bekendt med, at borgerne oplever problemer med {emne}?",
    "Hvordan inddrages lokaludvalget i arbejdet med {emne}?",
    "Hvor mange årsværk anvender forvaltningen på {emne}?",
    "Hvad vil det koste at løse problemet, og hvor kan finansieringen findes?",
    "Vil forvaltningen udlevere den korrespondance, der har været om {emne} siden {år0}?",
    "Hvilke erfaringer har forvaltningen med lignende sager i andre bydele?",
    "Er der indgået aftaler med eksterne parter om {emne}, og i givet fald hvilke?",
    "Hvordan har udviklingen i antallet af sager været siden {år0}?",
    "Hvilken rolle har {forvaltning} haft i forløbet?",
    "Vil forvaltningen sikre, at udvalget bliver orienteret, inden der træffes beslutning?",
    "Hvad er status på de tiltag, som udvalget besluttede i {år0}?",
    "Er der planer om at ændre serviceniveauet, og hvad betyder det for borgerne?",
    "Hvor lang er den gennemsnitlige sagsbehandlingstid, og hvad er målsætningen?",
    "Hvordan bliver de berørte borgere informeret om deres rettigheder?",
    "Hvilke lovgivningsmæssige rammer gælder for {emne}?",
    "Er {emne} prioriteret i budgetforslaget for {år1}?",
    "Kan forvaltningen oplyse, hvem der har truffet beslutningen, og hvornår?",
    "Hvilke alternativer har forvaltningen undersøgt?",
    "Hvad har forvaltningen gjort for at følge op på borgernes klager?",
    "Kan forvaltningen oplyse de samlede udgifter fordelt på år siden {år0}?",
    "Hvorfor er der ikke tidligere blevet reageret på henvendelserne?",
    "Vil forvaltningen gennemgå sagen og vende tilbage med en handlingsplan?",
)

ANSWER_OPENERS = (
    "Forvaltningen kan oplyse, at", "Det kan oplyses, at",
    "Til brug for besvarelsen har forvaltningen undersøgt sagen, og det fremgår, at",
    "Forvaltningen har indhentet oplysninger fra {enhed}, som oplyser, at",
    "Af forvaltningens opgørelse fremgår det, at",
    "Som svar på spørgsmålet skal forvaltningen oplyse, at",
    "Forvaltningen har gennemgået sagen, og det kan oplyses, at",
)
ANSWER_FACTS = (
    "der i {år} blev registreret {n} henvendelser om {emne}",
    "udgifterne til {emne} i {år} udgjorde {mio} mio. kr.",
    "forvaltningen i perioden {år0}-{år} har behandlet {n} sager på området",
    "{emne} har været drøftet på flere møder i {udvalg}",
    "der ikke er registreret klager over {emne} i den seneste opgørelse",
    "arbejdet med {emne} forventes afsluttet i {kvartal} kvartal {år1}",
    "antallet af sager er steget med {pct} pct. siden {år0}",
    "forvaltningen ikke er bekendt med de forhold, der beskrives i spørgsmålet",
)
SENTENCES = (

    "Forvaltningen vurderer, at indsatsen er tilstrækkelig, men følger udviklingen tæt.",
    "Der er tale om en kompleks problemstilling, hvor flere forvaltninger er involveret.",
    "Forvaltningen har været i dialog med de berørte borgere og med lokaludvalget.",
    "Det bemærkes, at området er reguleret af serviceloven, som kommunen skal overholde.",
    "Forvaltningen vil i løbet af det kommende halvår udarbejde en samlet status til udvalget.",
    "Der er ikke afsat midler til en udvidelse af indsatsen i det gældende budget.",
    "En udvidelse skal finansieres inden for udvalgets ramme eller ved budgetforhandlingerne.",
    "Forvaltningen har iværksat en undersøgelse, som forventes at foreligge inden årets udgang.",
    "Det er forvaltningens vurdering, at de gældende retningslinjer er blevet fulgt.",
    "Forvaltningen beklager de gener, som borgerne har oplevet.",
    "Forvaltningen har skærpet tilsynet og vil følge op med uanmeldte besøg.",
    "Der er indgået en aftale med entreprenøren om at begrænse arbejdet i aftentimerne.",
    "Sagen er drøftet med de faglige organisationer, som bakker op om løsningen.",
    "Det er ikke muligt at opgøre tallene mere detaljeret, da de ikke registreres særskilt.",
    "Tallene er behæftet med en vis usikkerhed, idet registreringspraksis er ændret i perioden.",
    "Forvaltningen henviser i øvrigt til besvarelsen af et tilsvarende spørgsmål fra sidste år.",
    "Forvaltningen vil orientere udvalget, når der foreligger en endelig afklaring.",
    "Der er ikke juridisk grundlag for at gribe ind over for de forhold, der nævnes.",
    "Forvaltningen har bedt entreprenøren om en redegørelse og afventer svar.",
    "Det samlede forbrug forventes at holde sig inden for den afsatte ramme.",
    "Sagsbehandlingstiden er nedbragt, efter at der er tilført flere medarbejdere til området.",
    "Forvaltningen er opmærksom på, at ventetiden er længere end målsætningen.",
    "Det skyldes primært vanskeligheder med at rekruttere kvalificeret personale.",
    "Forvaltningen arbejder på en model, der kan forelægges udvalget i foråret.",
    "Der er gennemført en borgerinddragelsesproces med deltagelse af omkring 200 borgere.",
    "Tilbagemeldingerne fra borgerne har overordnet været positive.",
    "Løsningen er koordineret med Hovedstadens Beredskab og politiet.",
    "Den endelige beslutning træffes af Borgerrepræsentationen.",
    "Forvaltningen har ikke kendskab til, at der skulle være begået fejl i sagen.",
    "Forvaltningen vil tage kontakt til spørgeren, hvis der er behov for yderligere oplysninger.",
    "Der er desuden nedsat en arbejdsgruppe, der skal komme med anbefalinger til udvalget.",
    "Materialet er vedlagt som bilag i det omfang, det ikke er undtaget fra aktindsigt.",
    "Oplysninger om enkeltpersoner er undtaget efter offentlighedslovens regler.",
    "Forvaltningen forventer, at de første resultater kan ses i løbet af næste år.",
    "Indsatsen evalueres løbende, og evalueringen forelægges udvalget, når den er færdig.",
    "Erfaringerne fra andre kommuner viser, at en tidlig indsats kan nedbringe udgifterne.",
)
CLOSERS = (
    "Forvaltningen står naturligvis til rådighed, hvis der er behov for uddybning.",
    "Der henvises i øvrigt til forvaltningens notat til udvalget om emnet.",
    "Forvaltningen vil følge op på sagen og orientere udvalget om udviklingen.",
    "Besvarelsen er udarbejdet i samarbejde med {forvaltning2}.",
)
COMMITTEES = (
    "Teknik- og Miljøudvalget", "Økonomiudvalget", "Børne- og Ungdomsudvalget",
    "Socialudvalget", "Sundheds- og Omsorgsudvalget", "Kultur- og Fritidsudvalget",
    "Beskæftigelses- og Integrationsudvalget",
)
NOTES = (
    "Rykket for svar {dato}.", "Fristforlængelse meddelt spørgeren.",
    "Svarfrist aftalt telefonisk med spørgeren.", "Koordineres med {kode}.",
    "Bidrag fra {kode} modtaget {dato}.", "Afventer tal fra Københavns Statistik.",
    "Spørgsmålet er delvist overlappende med en tidligere sag.",
    "Sendt til godkendelse hos direktionen {dato}.", "Spørgeren ønsker svaret på e-mail.",
    "Vedhæftet bilag: notat og kortbilag.",
)

# fmt: on

# Status weights by age of the case (days since received).
STATUS_BY_AGE: tuple[tuple[int, dict[str, int]], ...] = (
    (30, {"modtaget": 15, "fordelt": 20, "under_udarbejdelse": 30, "til_godkendelse": 12,
          "godkendt": 7, "besvaret": 11, "i_bero": 1, "videresendt": 3, "annulleret": 1}),
    (120, {"fordelt": 2, "under_udarbejdelse": 10, "til_godkendelse": 8, "godkendt": 7,
           "besvaret": 40, "offentliggjort": 24, "i_bero": 3, "videresendt": 3,
           "annulleret": 3}),
    (10**6, {"besvaret": 44, "offentliggjort": 46, "godkendt": 1, "i_bero": 1,
             "videresendt": 4, "annulleret": 4}),
)  # fmt: skip
ANSWERED = {"til_godkendelse", "godkendt", "besvaret", "offentliggjort"}
CLOSED = {"besvaret", "offentliggjort", "videresendt", "annulleret"}
CHANNEL_WEIGHTS = {
    "br": {"email": 88, "digital_post": 3, "moede": 6, "telefon": 1, "brev": 1, "andet": 1},
    "borger": {"email": 52, "digital_post": 24, "brev": 12, "telefon": 8, "andet": 4},
    "anden": {"email": 80, "telefon": 12, "digital_post": 5, "brev": 2, "andet": 1},
}
QUESTION_COUNT_WEIGHTS = {1: 30, 2: 25, 3: 20, 4: 12, 5: 8, 6: 5}


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(weights), list(weights.values())


@dataclass
class _Ref:
    """Reference data of the opened database."""

    admins: dict[str, tuple[int, str]]  # code -> (id, name)
    units: dict[int, list[tuple[int, str]]]  # administration id -> [(unit id, name)]
    parties: dict[str, int]  # letter -> id
    rules: dict[str, tuple[int, int]]  # kind -> (deadline days, internal days before)


@dataclass
class _AskerInfo:
    id: int
    label: str  # "Name (P)" or "Name", as cases.asker_label
    role: str


@dataclass
class _OfficerInfo:
    id: int
    unit_id: int | None


def _next_id(conn: Connection, column: InstrumentedAttribute[int]) -> int:
    """The first free id of a table (ids are given explicitly to link the rows)."""
    return int(conn.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1


def _load_ref(conn: Connection) -> _Ref:
    admins = {
        code: (aid, name)
        for aid, code, name in conn.execute(
            select(Administration.id, Administration.code, Administration.name)
        )
    }
    units: dict[int, list[tuple[int, str]]] = {aid: [] for aid, _ in admins.values()}
    for uid, aid, name in conn.execute(
        select(Unit.id, Unit.administration_id, Unit.name).order_by(Unit.id)
    ):
        units.setdefault(aid, []).append((uid, name))
    parties = {letter: pid for letter, pid in conn.execute(select(Party.letter, Party.id))}
    rules = {
        code: (days, internal)
        for code, days, internal in conn.execute(
            select(InquiryKind.code, InquiryKind.deadline_days, InquiryKind.internal_days)
        )
    }
    return _Ref(admins, units, parties, rules)


def _unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    attempts = 0
    while len(names) < count:
        attempts += 1
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        if attempts > 2000 or rng.random() < 0.2:
            name = f"{first} {rng.choice(MIDDLE_NAMES)} {last}"
        else:
            name = f"{first} {last}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _initials(name: str, taken: set[str]) -> str:
    parts = name.replace("-", " ").split()
    base = (parts[0][:2] + parts[-1][:2]).upper()
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


def _mail_local(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ö": "o", "ü": "u", " ": "."})
    return name.casefold().translate(table)


def _insert_askers(
    conn: Connection, rng: random.Random, ref: _Ref
) -> tuple[list[_AskerInfo], list[_AskerInfo], list[_AskerInfo]]:
    """Council members (with party), citizens and others (press, associations)."""
    next_id = _next_id(conn, Asker.id)
    taken = set(conn.scalars(select(Asker.name)))
    rows: list[dict[str, Any]] = []
    members: list[_AskerInfo] = []
    citizens: list[_AskerInfo] = []
    others: list[_AskerInfo] = []
    letters, weights = _weighted({k: v for k, v in PARTY_WEIGHTS.items() if k in ref.parties})
    initials: set[str] = set()
    for name in _unique_names(rng, 150, taken):
        letter = rng.choices(letters, weights)[0]
        address = f"{_initials(name, initials).lower()}@br.kk.example"
        rows.append(
            {"id": next_id, "name": name, "role": "br", "party_id": ref.parties[letter],
             "email": address if rng.random() < 0.9 else None}
        )  # fmt: skip
        members.append(_AskerInfo(next_id, f"{name} ({letter})", "br"))
        next_id += 1
    for name in _unique_names(rng, 2500, taken):
        email = (
            f"{_mail_local(name)}{rng.randint(1, 99)}@mail.example" if rng.random() < 0.6 else None
        )
        rows.append(
            {"id": next_id, "name": name, "role": "borger", "party_id": None, "email": email}
        )
        citizens.append(_AskerInfo(next_id, name, "borger"))
        next_id += 1
    journalists = _unique_names(rng, 40, taken)
    for index, name in enumerate(journalists):
        outlet = MEDIA[index % len(MEDIA)]
        rows.append(
            {"id": next_id, "name": name, "role": "anden", "party_id": None,
             "email": f"{_mail_local(name)}@{_mail_local(outlet.split()[-1])}.example"}
        )  # fmt: skip
        others.append(_AskerInfo(next_id, name, "anden"))
        next_id += 1
    for org in ORGANISATIONS:
        if org in taken:
            continue
        rows.append({"id": next_id, "name": org, "role": "anden", "party_id": None, "email": None})
        others.append(_AskerInfo(next_id, org, "anden"))
        next_id += 1
    conn.execute(insert(Asker), rows)
    return members, citizens, others


def _insert_officers(
    conn: Connection, rng: random.Random, ref: _Ref
) -> dict[int, list[_OfficerInfo]]:
    """Three to five case officers per unit, plus two per administration without a unit."""
    next_id = _next_id(conn, Officer.id)
    taken = set(conn.scalars(select(Officer.name)))
    taken_initials = {i for i in conn.scalars(select(Officer.initials)) if i}
    rows: list[dict[str, Any]] = []
    by_admin: dict[int, list[_OfficerInfo]] = {}
    for admin_id, _name in ref.admins.values():
        slots: list[int | None] = [None, None]
        for unit_id, _unit in ref.units.get(admin_id, []):
            slots += [unit_id] * rng.randint(3, 5)
        for slot, name in zip(slots, _unique_names(rng, len(slots), taken), strict=True):
            initials = _initials(name, taken_initials)
            rows.append(
                {"id": next_id, "name": name, "initials": initials,
                 "email": f"{initials.lower()}@kk.example", "administration_id": admin_id,
                 "unit_id": slot, "active": rng.random() < 0.93}
            )  # fmt: skip
            by_admin.setdefault(admin_id, []).append(_OfficerInfo(next_id, slot))
            next_id += 1
    conn.execute(insert(Officer), rows)
    return by_admin


def _received_days(rng: random.Random, n: int, today: dt.date) -> list[dt.date]:
    """N dates from 2018 until today, weekdays mostly, a little growth over the years."""
    span = (today - FIRST_DATE).days
    days: list[dt.date] = []
    while len(days) < n:
        # Triangular-ish growth: later days slightly more likely.
        offset = int(span * (rng.random() ** 0.85))
        day = FIRST_DATE + dt.timedelta(days=min(offset, span))
        if day.weekday() >= 5 and rng.random() < 0.85:
            continue
        if day.month == 7 and rng.random() < 0.4:  # summer holiday
            continue
        if (day.month, day.day) in CLOSED_DAYS:
            continue
        days.append(day)
    days.sort()
    return days


class _Texts:
    """Subject, question and answer text built from the lists above."""

    def __init__(self, rng: random.Random, ref: _Ref, today: dt.date) -> None:
        self.rng = rng
        self.ref = ref
        self.today = today
        self.admin_names = {code: name for code, (_id, name) in ref.admins.items()}
        self.unit_names = {uid: name for units in ref.units.values() for uid, name in units}
        # A pool of ready body paragraphs keeps 300,000 answers quick to build and varied.
        self.paragraphs = [self._body_paragraph() for _ in range(3000)]
        self.prefixes, self.prefix_weights = _weighted(dict(SUBJECT_PREFIXES))
        self.q_counts = list(QUESTION_COUNT_WEIGHTS)
        self.q_weights = list(QUESTION_COUNT_WEIGHTS.values())

    def _fill(self, template: str, year: int) -> str:
        rng = self.rng
        values = {
            "sted": rng.choice(PLACES),
            "bydel": rng.choice(DISTRICTS),
            "park": rng.choice(PARKS),
            "badested": rng.choice(BATHING),
            "ydelse": rng.choice(SERVICES),
            "projekt": rng.choice(PROJECTS),
            "institution": rng.choice(INSTITUTIONS),
            "gruppe": rng.choice(GROUPS),
            "fag": rng.choice(STAFF),
            "udbud": rng.choice(TENDERS),
            "kultur": rng.choice(CULTURE),
            "it": rng.choice(IT_THINGS),
            "gener": rng.choice(NUISANCES),
            "område": rng.choice(AREAS),
            "år": str(year - rng.randint(0, 1)),
        }
        return template.format_map(values)

    def subject(self, year: int) -> tuple[str, str, str]:
        """(subject, the phrase questions refer to, administration code)."""
        template, codes = self.rng.choice(SUBJECTS)
        phrase = self._fill(template, year)
        prefix = self.rng.choices(self.prefixes, self.prefix_weights)[0]
        subject = prefix + phrase if prefix else phrase[0].upper() + phrase[1:]
        code = (
            self.rng.choice(codes)
            if self.rng.random() < 0.9
            else self.rng.choice(list(self.ref.admins))
        )
        return subject, phrase, code

    def questions(self, phrase: str, year: int, admin_code: str) -> list[str]:
        count = self.rng.choices(self.q_counts, self.q_weights)[0]
        picked = self.rng.sample(QUESTIONS, count)
        values = {
            "emne": phrase,
            "år": str(year - 1),
            "år0": str(year - self.rng.randint(2, 6)),
            "år1": str(year + 1),
            "forvaltning": self.admin_names.get(admin_code, admin_code),
        }
        return [q.format_map(values) for q in picked]

    def _body_paragraph(self) -> str:
        rng = self.rng
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        if rng.random() < 0.3:
            sentences.append(
                rng.choice(CLOSERS).format(forvaltning2=rng.choice(list(self.admin_names.values())))
            )
        return " ".join(sentences)

    def answer(self, phrase: str, year: int, unit_id: int | None) -> str:
        rng = self.rng
        unit = self.unit_names.get(unit_id, "fagenheden") if unit_id else "fagenheden"
        opener = rng.choice(ANSWER_OPENERS).format(enhed=unit)
        fact = rng.choice(ANSWER_FACTS).format(
            år=year - 1,
            år0=year - rng.randint(2, 6),
            år1=year + rng.randint(0, 1),
            emne=phrase,
            n=rng.randint(3, 2400),
            mio=f"{rng.randint(1, 480)},{rng.randint(0, 9)}",
            udvalg=rng.choice(COMMITTEES),
            kvartal=rng.choice(("første", "andet", "tredje", "fjerde")),
            pct=rng.randint(2, 65),
        )
        first = f"{opener} {fact}. {rng.choice(SENTENCES)}"
        body = rng.sample(self.paragraphs, rng.randint(1, 3))
        return "\n\n".join([first, *body])

    def note(self, received: dt.date) -> str:
        if self.rng.random() > 0.15:
            return ""
        later = min(received + dt.timedelta(days=self.rng.randint(3, 40)), self.today)
        return self.rng.choice(NOTES).format(
            dato=f"{later:%d-%m-%Y}", kode=self.rng.choice(list(self.ref.admins))
        )


class _Deadlines:
    """Deadlines as ``create_case`` derives them, and answered dates for answered cases
    (2–16 working days after receipt, mostly within 10). Its own random stream, so the
    cases themselves stay the same for a seed."""

    def __init__(self, rules: dict[str, tuple[int, int]], seed: int) -> None:
        from kkdesk.core.calendar import WorkCalendar

        self.calendar = WorkCalendar()
        self.rules = rules
        self.rng = random.Random(seed)

    def for_case(self, received: dt.date, kind: str, status: str, today: dt.date) -> dict[str, Any]:
        days, internal = self.rules.get(kind, (10, 3))
        deadline = inner = None
        if days > 0 and status != "i_bero":
            deadline = self.calendar.add_working_days(received, days)
            inner = max(self.calendar.subtract_working_days(deadline, internal), received)
        answered = None
        if status in ("besvaret", "offentliggjort"):
            spent = int(self.rng.triangular(2, 16, 8))
            answered = min(self.calendar.add_working_days(received, spent), today)
        return {"deadline": deadline, "internal_deadline": inner, "answered_on": answered}


def _status(
    rng: random.Random, age_days: int, tables: list[tuple[int, list[str], list[int]]]
) -> str:
    for limit, codes, weights in tables:
        if age_days <= limit:
            return rng.choices(codes, weights)[0]
    raise AssertionError("unreachable")


def _timestamp(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 0)) + dt.timedelta(seconds=rng.randint(0, 10 * 3600))


def _case_chunks(
    rng: random.Random,
    n: int,
    ref: _Ref,
    askers: tuple[list[_AskerInfo], list[_AskerInfo], list[_AskerInfo]],
    officers: dict[int, list[_OfficerInfo]],
    first_ids: dict[str, int],
    counters: dict[int, int],
    today: dt.date,
    now: dt.datetime,
) -> Iterator[tuple[list[dict[str, Any]], ...]]:
    """Rows for case, received_date, question and case_event, CHUNK cases at a time."""
    texts = _Texts(rng, ref, today)
    # Seeded from the generator's state without drawing from it: same cases as before.
    timing = _Deadlines(ref.rules, seed=rng.getstate()[1][0])
    members, citizens, others = askers
    # A few council members ask a lot; most ask now and then.
    member_weights = [rng.paretovariate(1.2) for _ in members]
    status_tables = [(limit, *_weighted(weights)) for limit, weights in STATUS_BY_AGE]
    channels = {role: _weighted(weights) for role, weights in CHANNEL_WEIGHTS.items()}
    assert set(STATUS_LABELS) >= {s for _, w in STATUS_BY_AGE for s in w}
    assert all(set(CHANNEL_LABELS) >= set(w) for w in CHANNEL_WEIGHTS.values())
    case_id, question_id = first_ids["case"], first_ids["question"]
    date_id, event_id = first_ids["received_date"], first_ids["case_event"]

    days = _received_days(rng, n, today)
    for start in range(0, n, CHUNK):
        cases: list[dict[str, Any]] = []
        dates: list[dict[str, Any]] = []
        questions: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for received in days[start : start + CHUNK]:
            year = received.year
            counters[year] = seq = counters.get(year, 0) + 1
            number = format_case_number(year, seq)
            pick = rng.random()
            if pick < 0.72:
                asker = rng.choices(members, member_weights)[0]
                kind = "br" if rng.random() < 0.82 else "udvalg"
            elif pick < 0.93:
                asker = rng.choice(citizens)
                kind = "borger" if rng.random() < 0.86 else "aktindsigt"
            else:
                asker = rng.choice(others)
                kind = rng.choices(("presse", "aktindsigt", "anden"), (6, 2, 2))[0]
            subject, phrase, code = texts.subject(year)
            admin_id = ref.admins[code][0]
            age = (today - received).days
            status = _status(rng, age, status_tables)
            unit_id: int | None = None
            officer_id: int | None = None
            if status != "modtaget":
                units = ref.units.get(admin_id) or []
                if units and rng.random() < 0.85:
                    unit_id = rng.choice(units)[0]
                staff = [o for o in officers.get(admin_id, []) if o.unit_id in (unit_id, None)]
                if staff and rng.random() < 0.95:
                    officer_id = rng.choice(staff).id
            received_all = [received]
            if rng.random() < 0.1:
                second = received + dt.timedelta(days=rng.randint(1, 21))
                if second <= today:
                    received_all.append(second)
            created = _timestamp(received, rng)
            if status in CLOSED or status in ANSWERED:
                updated = created + dt.timedelta(
                    days=rng.randint(3, 45), minutes=rng.randint(0, 600)
                )
            elif status == "modtaget":
                updated = created
            else:
                updated = created + dt.timedelta(
                    days=rng.randint(0, 10), minutes=rng.randint(0, 600)
                )
            updated = min(max(updated, created), now)
            cases.append(
                {
                    "id": case_id,
                    "case_number": number,
                    "year": year,
                    "seq": seq,
                    "kind_code": kind,
                    "subject": subject,
                    "channel": rng.choices(*channels[asker.role])[0],
                    "received_on": received,
                    "asker_id": asker.id,
                    "administration_id": admin_id,
                    "unit_id": unit_id,
                    "officer_id": officer_id,
                    "status": status,
                    "notes": texts.note(received),
                    "search_text": normalise_search_text(number, subject, asker.label),
                    "created_at": created,
                    "created_by": USER,
                    "updated_at": updated,
                    "updated_by": USER,
                    "version": 1,
                    **timing.for_case(received, kind, status, today),
                }
            )
            for day in received_all:
                dates.append({"id": date_id, "case_id": case_id, "received": day})
                date_id += 1
            asked = texts.questions(phrase, year, code)
            answered = len(asked) if status in ANSWERED else 0
            if status == "under_udarbejdelse":
                answered = rng.randint(0, len(asked))
            for position, question in enumerate(asked, start=1):
                if position <= answered:
                    answer = texts.answer(phrase, year, unit_id)
                elif status == "videresendt" and position == 1:
                    other = rng.choice(list(texts.admin_names.values()))
                    answer = f"Spørgsmålet er videresendt til {other}, som besvarer det direkte."
                else:
                    answer = ""
                questions.append(
                    {"id": question_id, "case_id": case_id, "position": position,
                     "number": position, "text": question, "answer": answer}
                )  # fmt: skip
                question_id += 1
            events.append(
                {"id": event_id, "case_id": case_id, "at": created, "user": USER,
                 "action": "oprettet", "field": None, "old_value": None, "new_value": None,
                 "comment": f"Sag {number} oprettet"}
            )  # fmt: skip
            event_id += 1
            case_id += 1
        yield cases, dates, questions, events


def _fix_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """PostgreSQL: move the id sequences past the ids inserted explicitly."""
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        name = quote(table)
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            ),
            {"t": name},
        )


def generate(url: str, n: int, seed: int = 1) -> None:
    """Open (create and migrate) the database at ``url`` and add ``n`` synthetic cases."""
    rng = random.Random(seed)
    db = open_database(url)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    tables = [t.__tablename__ for t in (Asker, Officer, Case, ReceivedDate, Question, CaseEvent)]
    try:
        with db.engine.begin() as conn:
            ref = _load_ref(conn)
            askers = _insert_askers(conn, rng, ref)
            officers = _insert_officers(conn, rng, ref)
            first_ids = {
                name: _next_id(conn, table)
                for name, table in (
                    ("case", Case.id),
                    ("received_date", ReceivedDate.id),
                    ("question", Question.id),
                    ("case_event", CaseEvent.id),
                )
            }
            existing: dict[int, int] = {
                year: last
                for year, last in conn.execute(
                    select(CaseNumberCounter.year, CaseNumberCounter.last_number)
                )
            }
            counters = dict(existing)
            for cases, dates, questions, events in _case_chunks(
                rng, n, ref, askers, officers, first_ids, counters, today, now
            ):
                conn.execute(insert(Case), cases)
                conn.execute(insert(ReceivedDate), dates)
                conn.execute(insert(Question), questions)
                conn.execute(insert(CaseEvent), events)
            for year, last in sorted(counters.items()):
                if year in existing:
                    if last != existing[year]:
                        conn.execute(
                            update(CaseNumberCounter)
                            .where(CaseNumberCounter.year == year)
                            .values(last_number=last)
                        )
                else:
                    conn.execute(insert(CaseNumberCounter).values(year=year, last_number=last))
            if conn.dialect.name == "postgresql":
                _fix_sequences(conn, tables)
        if db.dialect == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    finally:
        db.dispose()


def _summary(url: str) -> str:
    db = open_database(url, migrate=False)
    try:
        with db.session() as session:
            by_year: Counter[int] = Counter()
            for year, count in session.execute(select(Case.year, func.count()).group_by(Case.year)):
                by_year[year] = count
            questions = session.scalar(select(func.count()).select_from(Question))
    finally:
        db.dispose()
    years = ", ".join(f"{y}: {c}" for y, c in sorted(by_year.items()))
    return f"{sum(by_year.values())} sager, {questions} spørgsmål ({years})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--db", required=True, metavar="URL", help="sqlite:///PATH eller postgresql+psycopg://…"
    )
    parser.add_argument("--cases", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    started = time.perf_counter()
    generate(args.db, args.cases, args.seed)
    elapsed = time.perf_counter() - started
    print(f"{args.cases} sager genereret på {elapsed:.1f} s")
    print(_summary(args.db))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
