import pytest

from changeready.surveys.questionnaire import (
    STATEMENTS,
    aggregate,
    element_scores,
    validate_answers,
)
from changeready.surveys.tests.factories import answers


def test_two_statements_per_element():
    assert all(len(pair) == 2 for pair in STATEMENTS.values())
    assert list(STATEMENTS) == ["awareness", "desire", "knowledge", "ability", "reinforcement"]


def test_element_score_is_the_mean_of_answered_items():
    scores = element_scores(answers(awareness=(2, 5), desire=(4, None), knowledge=(None, None)))
    assert scores["awareness"] == 3.5
    assert scores["desire"] == 4  # "not applicable" is left out, not counted as 0 or 3
    assert scores["knowledge"] is None


def test_aggregate_is_the_mean_over_respondents_of_their_element_scores():
    result = aggregate(
        [
            answers(awareness=(2, 4)),  # 3.0
            answers(awareness=(5, None)),  # 5.0, not 2.5 and not (2+4+5)/3
            answers(awareness=(None, None)),  # does not count for awareness
        ]
    )
    assert result["awareness"].mean == 4.0
    assert result["awareness"].answered_by == 2
    assert result["desire"].mean == 4.0
    assert result["desire"].answered_by == 3


def test_an_element_nobody_answered_has_no_mean():
    result = aggregate([answers(ability=(None, None))])
    assert result["ability"].mean is None
    assert result["ability"].answered_by == 0


@pytest.mark.parametrize(
    "bad",
    [
        {},
        answers(awareness=(4,)),
        answers(awareness=(0, 4)),
        answers(awareness=(6, 4)),
        answers(awareness=("4", 4)),
        answers(awareness=(True, 4)),
        {**answers(), "extra": [1, 1]},
    ],
)
def test_invalid_answers_are_refused(bad):
    with pytest.raises(ValueError):
        validate_answers(bad)
