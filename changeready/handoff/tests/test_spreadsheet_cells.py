"""The formula guard shared by CSV and XLSX."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from changeready.handoff.renderers.spreadsheet import FORMULA_TRIGGERS, neutralise

dangerous_text = st.builds(
    lambda first, rest: first + rest, st.sampled_from(FORMULA_TRIGGERS), st.text()
)
safe_text = st.text().filter(lambda text: not text.startswith(FORMULA_TRIGGERS))
numbers = st.one_of(
    st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False), st.dates()
)


@given(dangerous_text)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@given(safe_text)
def test_other_text_is_unchanged(text):
    assert neutralise(text) == text


@given(numbers)
def test_numbers_and_dates_are_untouched(value):
    assert neutralise(value) is value


def test_examples():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("-2") == "'-2"
    assert neutralise(-2) == -2
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("Week 2") == "Week 2"
    assert neutralise(None) is None
    assert neutralise(date(2027, 4, 5)) == date(2027, 4, 5)
