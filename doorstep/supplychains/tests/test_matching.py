"""The supplier-name matcher: its normalization, and its precision and recall on labelled pairs."""

import csv
from pathlib import Path

from doorstep.supplychains import matching

PAIRS = Path(__file__).parent / "data" / "match_pairs.csv"


def test_names_are_normalized_across_legal_forms_punctuation_case_and_scripts():
    assert matching.tokens("Kohinoor Embroidery Exports Pvt. Ltd.") == matching.tokens(
        "KOHINOOR EMBROIDERY EXPORTS"
    )
    assert matching.tokens("Textiles Andinos S.A.C.") == matching.tokens("Textiles Andinos")
    assert matching.tokens("Hong Ho Mexico S.A. de C.V.") == matching.tokens("Hong Ho Mexico")
    assert matching.name_key("Mundo Textil") == matching.name_key("Textil Mundo")
    assert matching.flat_key("华美服装有限公司") == matching.flat_key("Huamei Fuzhuang Youxian Gongsi")
    assert matching.tokens("Ромашка Текстиль ООО") == ("romashka", "tekstil")  # noqa: RUF001 - Cyrillic on purpose
    assert matching.tokens("Faisalabad Textile MillsLimited") == matching.tokens(
        "Faisalabad Textile Mills Limited"
    )


def test_a_different_number_is_another_facility():
    assert matching.score("Smart Shirts Limited KAT 1", "Smart Shirts Limited KAT 1") == 100
    assert matching.score("Smart Shirts Limited KAT 1", "Smart Shirts Limited KAT 3") < matching.LINK


def test_another_firm_one_syllable_away_waits_for_a_person():
    score = matching.score("Masiri Moon Knitting Pvt Ltd", "Masina Moon Knitting Pvt Ltd")
    assert matching.REVIEW <= score < matching.LINK


def test_one_typo_in_a_firms_own_name_is_still_linked():
    assert matching.score("Masiri Moon Knitting", "MASIRRI MOON KNITTING LTD") >= matching.LINK
    assert matching.score("Masiri Moon Knitting", "Maisri Moon Knitting") >= matching.LINK


def test_a_generic_word_added_is_the_same_firm_and_another_word_is_not():
    assert matching.score("Vanu Star Leather Enterprises GmbH", "Vanu Star Leather GmbH") >= matching.LINK
    assert matching.score("Vanu Star Leather Group", "Vanu Star Leather") >= matching.LINK
    assert matching.score("Vanu Star Leather", "Vanu Moon Leather") < matching.LINK


def test_the_same_name_far_away_waits_for_a_person():
    same_place = matching.score("Star Exports", "Star Exports", "12 Ring Road, Delhi", "12 Ring Rd Delhi")
    elsewhere = matching.score(
        "Star Exports", "Star Exports", "12 Ring Road, Delhi", "Plot 9 MIDC Andheri Mumbai"
    )
    assert same_place >= matching.LINK > elsewhere >= matching.REVIEW


def test_precision_and_recall_on_the_labelled_pairs_are_at_least_095():
    with PAIRS.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    assert len(pairs) >= 300
    assert {p["variation"] for p in pairs if p["same"] == "1"} >= {
        "typo",
        "abbreviation",
        "word_order",
        "legal_form",
        "script",
    }
    counts = {"tp": 0, "fp": 0, "fn": 0}
    for pair in pairs:
        linked = (
            matching.score(pair["name_a"], pair["name_b"], pair["address_a"], pair["address_b"])
            >= matching.LINK
        )
        same = pair["same"] == "1"
        if linked and same:
            counts["tp"] += 1
        elif linked:
            counts["fp"] += 1
        elif same:
            counts["fn"] += 1
    precision = counts["tp"] / (counts["tp"] + counts["fp"])
    recall = counts["tp"] / (counts["tp"] + counts["fn"])
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, counts)


def test_match_all_prefers_identifiers_and_keeps_to_the_country():
    known = [
        matching.Known(1, "Star Exports", "IN", "12 Ring Road, Delhi"),
        matching.Known(2, "Star Exports", "BD", "Savar, Dhaka"),
        matching.Known(3, "Lotus Knit", "IN", "", ("os_id:in2019123abcdef1",)),
    ]
    found = matching.match_all(
        [
            ("STAR EXPORTS PVT LTD", "BD", "", ()),
            ("Completely Different Name", "IN", "", ("os_id:in2019123abcdef1",)),
            ("Star Exports", "KE", "", ()),
            ("Moon Garments", "IN", "", ()),
        ],
        known,
    )
    assert [(m.party_id, m.outcome) for m in found] == [
        (2, "link"),
        (3, "link"),
        (None, "new"),
        (None, "new"),
    ]
