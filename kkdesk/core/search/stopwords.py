"""Danish words too common to say what a question is about (for "asked before")."""

from __future__ import annotations

STOPWORDS = frozenset(
    ["ad", "af", "alle", "alt", "anden", "andre", "at", "bede", "beder", "blev", "blive", "bliver", "da", "de", "dem", "den", "denne", "der", "deres", "det", "dette", "dig", "din", "dine", "disse", "dog", "du", "efter", "eller", "en", "end", "er", "et", "for", "fra", "få", "går", "ham", "han", "hans", "har", "havde", "have", "hende", "hendes", "her", "hos", "hun", "hvad", "hvem", "hver", "hvilke", "hvilken", "hvilket", "hvis", "hvor", "hvordan", "hvornår", "hvorfor", "hvorledes", "i", "ikke", "ind", "jeg", "jer", "jo", "kan", "kommer", "kunne", "man", "mange", "med", "meget", "men", "mig", "min", "mine", "mit", "mod", "må", "ned", "noget", "nogen", "nogle", "nu", "når", "og", "også", "om", "op", "os", "over", "på", "samt", "selv", "sig", "sin", "sine", "sit", "skal", "skulle", "som", "sådan", "thi", "til", "ud", "under", "var", "vi", "vil", "ville", "vor", "være", "været", "blandt", "bl.a.", "fx", "mv.", "ift.", "dvs.", "herunder", "derfor", "således", "gerne", "spørgsmål", "spørge", "spørger", "svar", "oplyse", "oplys", "venligst", "forvaltningen", "forvaltningens", "kommune", "kommunen", "kommunens", "københavns", "københavn"]
)
