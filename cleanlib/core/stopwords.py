"""Stopword lists: the ``stop-words`` package's 33 languages, and short lists of our own for languages of our
corpora it lacks (Icelandic and Lithuanian, from fundus). A paragraph's share of its language's stopwords
tells prose from menus and link lists in any language."""
from __future__ import annotations

from typing import Iterator

__all__ = ["EXTRA", "stopword_lists"]

# the most frequent function words (conjunctions, prepositions, pronouns, auxiliaries, particles)
EXTRA: dict[str, tuple[str, ...]] = {
    "icelandic": tuple("""og að í á er sem til við um það ekki var hann með en af þá sér frá eða fyrir hún þeir þetta
        hafa hefur voru verið vera eru eins svo nú ég þú þið þær þau hans hennar þess sinn sína sitt sig mér mig
        okkur ykkur þeim þér þig einnig líka hér þar hvað hver hvar hvenær hvernig því þegar ef þó upp út yfir
        undir eftir áður milli hjá gegn án vegna meðal auk hefði mun myndi getur skal verður varð allt allir öll
        mjög meira mikið annar önnur nokkur engin ekkert sama sá sú þessi þessa þessum""".split()),
    "lithuanian": tuple("""ir kad į yra tai su o bet iš ar kaip jis ji jie jos buvo bus būti nuo apie už per prie po
        dėl be iki tarp jau dar tik taip ne nė net kai jei jeigu nes tačiau todėl kuris kuri kurie kurios kas ką
        kur kada šis ši šie šios tas ta tie tos savo mes jūs aš tu man mane mums jam jai jiems jų jo ją juos čia
        ten labai daug mažai visi visos viskas kiekvienas kitas kita kiti vienas viena gali galima reikia turi
        bei arba nors lyg tad vis dabar vėliau prieš""".split()),
}


def stopword_lists() -> Iterator[tuple[str, list[str]]]:
    """(language, stopwords) for every language, in a fixed order: the package's, then ``EXTRA``'s."""
    from stop_words import AVAILABLE_LANGUAGES, get_stop_words

    for lang in AVAILABLE_LANGUAGES:
        yield lang, get_stop_words(lang)
    for lang, words in EXTRA.items():
        yield lang, list(words)
