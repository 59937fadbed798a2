"""Reading ease, reading age, long sentences and jargon, as shown beside each section."""

from __future__ import annotations

from engage.reports.plain_english import LONG_SENTENCE, marked, readability, sentences

PLAIN = "We asked people about their GP. Most said it is hard to get an appointment. We will tell you what we do next."
HARD = (
    "Stakeholders' engagement with the integrated care system's commissioning intentions, notwithstanding "
    "considerable organisational complexity, demonstrated substantial heterogeneity across demographic "
    "characteristics, necessitating comprehensive methodological reconsideration prior to implementation."
)
JARGON = [("stakeholders", "people and groups with an interest"), ("prior to", "before")]


def test_plain_words_score_a_low_reading_age_and_hard_words_a_high_one() -> None:
    plain, hard = readability(PLAIN), readability(HARD)
    assert plain.reading_age is not None
    assert plain.reading_age <= 11
    assert plain.meets(11)
    assert plain.ease_words in {"Easy to read", "Plain English"}
    assert hard.reading_age is not None
    assert hard.reading_age > 18
    assert not hard.meets(11)
    assert hard.reading_ease is not None
    assert plain.reading_ease is not None
    assert hard.reading_ease < 30 < plain.reading_ease


def test_too_few_words_are_not_scored() -> None:
    score = readability("Thank you.")
    assert score.reading_age is None
    assert score.reading_ease is None
    assert score.ease_words == "Too short to score"
    assert not score.meets()


def test_a_sentence_over_25_words_is_found_and_marked() -> None:
    long = "Every " + " ".join(["word"] * LONG_SENTENCE) + "."
    text = f"A short one. {long} Another short one."
    assert sentences(text) == ["A short one.", long, "Another short one."]
    assert readability(text).long_sentences == [long]
    html = str(marked(text, []))
    assert html.count('class="engage-long"') == 1
    assert f"long sentence: {LONG_SENTENCE + 1} words" in html


def test_jargon_is_found_whole_words_only_whatever_the_case_and_its_plain_word_given() -> None:
    text = "Our Stakeholders met prior to the event. Nonstakeholders did not."
    assert readability(text, JARGON).jargon == JARGON
    html = str(marked(text, JARGON))
    assert html.count('class="engage-jargon"') == 2
    assert "try “people and groups with an interest”" in html
    assert "Nonstakeholders did not" in html  # part of a longer word is not jargon


def test_what_a_writer_types_is_escaped_before_it_is_marked() -> None:
    html = str(marked('<script>alert("x")</script> prior to <b>now</b>.', JARGON))
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'class="engage-jargon"' in html
