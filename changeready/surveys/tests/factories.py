import datetime

import factory
from django.utils import timezone

from changeready.engagements.tests.factories import EngagementFactory
from changeready.surveys.models import Respondent, Response, Survey


def answers(default=4, **elements):
    """Answers with every statement at `default`, overridden per element by a pair,
    e.g. `answers(knowledge=(2, None))` (None is "not applicable")."""
    result = {
        element: [default, default]
        for element in ("awareness", "desire", "knowledge", "ability", "reinforcement")
    }
    for element, pair in elements.items():
        result[element] = list(pair)
    return result


def form_data(answer_dict, **extra):
    """The respondent page's POST body for these answers."""
    data = {}
    for element, pair in answer_dict.items():
        for index, value in enumerate(pair):
            data[f"{element}_{index + 1}"] = "na" if value is None else str(value)
    data.update(extra)
    return data


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    engagement = factory.SubFactory(EngagementFactory)
    title = "How ready are you for FieldPro?"
    intro = "Tell us how the change is going for you."
    mode = "personal"
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

    @factory.post_generation
    def stakeholders(self, create, extracted, **kwargs):
        if create and extracted:
            self.stakeholders.set(extracted)


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Respondent {n}")
    email = factory.Sequence(lambda n: f"respondent{n}@customer.example")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    answers = factory.LazyFunction(answers)
