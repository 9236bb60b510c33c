from doorstep.messaging.parts import cost


def test_it_counts_160_gsm_characters_as_one_part():
    assert cost("a" * 160) == cost("a" * 160).__class__("gsm7", 160, 1)


def test_it_splits_gsm_text_into_parts_of_153():
    assert cost("a" * 161).parts == 2
    assert cost("a" * 306).parts == 2
    assert cost("a" * 307).parts == 3


def test_it_counts_an_extension_character_as_two_septets():
    assert cost("€" * 80).units == 160 and cost("€" * 80).parts == 1
    assert cost("€" * 81).parts == 2


def test_it_never_splits_an_escape_pair_between_parts():
    # 152 plain septets then "€" (2 septets): 154 > 153, so the euro starts the second part.
    text = "a" * 152 + "€" + "a" * 152
    assert cost(text).units == 306
    assert cost(text).parts == 3


def test_accented_letters_of_the_gsm_alphabet_stay_gsm7():
    assert cost("é à ü ñ Ä").encoding == "gsm7"


def test_a_character_outside_gsm_makes_the_whole_text_ucs2():
    assert cost("a" * 69 + "Ç").encoding == "gsm7"  # Ç is in the GSM alphabet (ç is not)
    counted = cost("a" * 69 + "ć")
    assert (counted.encoding, counted.units, counted.parts) == ("ucs2", 70, 1)
    assert cost("a" * 70 + "ć").parts == 2


def test_ucs2_parts_hold_67_units_and_keep_an_emoji_whole():
    assert cost("ह" * 134).parts == 2
    assert cost("ह" * 135).parts == 3
    text = "ह" * 66 + "😀" + "ह" * 66  # the emoji (2 units) does not fit after 66: it opens part two
    assert cost(text).units == 134 and cost(text).parts == 3
