"""Text analysis: tokens, stop-words, stems, entities, phrases, field weights."""

from __future__ import annotations

from masthead.related.engine import Document
from masthead.related.engine.analysis import Analyzer, stem


def test_stop_words_and_numbers_are_dropped_and_acronyms_kept():
    terms = Analyzer().terms("The US and the EU said 2004 was a year of 3G growth for us")
    assert "us" in terms  # "US" the country, not the pronoun
    assert "eu" in terms
    assert "3g" in terms
    assert "the" not in terms
    assert "said" not in terms
    assert "2004" not in terms
    assert terms.count("us") == 1  # the lower-case pronoun is a stop-word


def test_inflected_forms_share_a_key():
    assert stem("companies") == stem("company")
    assert stem("elections") == stem("election")
    assert stem("planned") == stem("plan")
    assert stem("speed") != stem("spe")  # "-eed" words keep their ending
    assert stem("speed") == "speed"


def test_possessives_and_contractions():
    terms = Analyzer().terms("Japan's economy didn't grow; O'Neill\u2019s plan")
    assert "japan" in terms
    assert "oneill" in terms
    assert all("'" not in t for t in terms)


def test_entities_are_capitalised_runs_without_leading_function_words():
    found = Analyzer().entities(
        "The Bank of England and Mr Tony Blair's party met Time Warner. But Gordon Brown said"
    )
    assert "e:bank of england" in found
    assert "e:tony blair" in found
    assert "e:time warner" in found
    assert "e:gordon brown" in found
    assert not any(e.startswith(("e:the ", "e:mr ", "e:but ")) for e in found)


def test_possessive_ends_a_name():
    assert Analyzer().entities("Japan\u2019s Bank of Japan") == ["e:bank of japan"]


def test_headline_weighs_more_than_body_and_tags_and_section_count():
    analyzer = Analyzer(title_weight=3.0, tag_weight=4.0, section_weight=1.5)
    doc = Document(
        id=1,
        title="Budget row",
        body="The budget was debated. Budget cuts loom.",
        tags=["Economy", " economy "],
        section="Politics",
    )
    features, body_terms = analyzer.features(doc)
    assert features["budget"] == 2 + 3.0  # twice in the body, once in the headline
    assert features["t:economy"] == 4.0  # a tag counts once, whatever its spelling
    assert features["s:politics"] == 1.5
    assert features["p:budget cut"] == analyzer.phrase_weight
    assert body_terms[:2] == ["budget", "debat"]


def test_display_forms_are_readable():
    analyzer = Analyzer()
    doc = Document(id=1, title="Interest rates rise", body="Bank of England raises rates.")
    _features, _ = analyzer.features(doc)
    assert analyzer.display("e:bank of england") == "Bank of England"
    assert analyzer.display("p:interest rat") == "interest rates"
    assert analyzer.display("t:budget") == "budget"
