import datetime as dt

import pytest

from actions.models import Action, Due
from tests.factories import ActionFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
EDGES = [  # days from today to the review date: when it is due
    (-1, Due.OVERDUE),
    (0, Due.SOON),  # due today is not overdue yet
    (7, Due.SOON),
    (8, Due.LATER),
]


class TestWhenActionsAreDue:
    """ "Overdue" and "due soon" are one definition: the QuerySet's, and the action's own."""

    @pytest.fixture
    def actions(self):
        school = SchoolFactory()
        return {
            days: ActionFactory(school=school, review_on=TODAY + dt.timedelta(days=days))
            for days, _ in EDGES
        }

    @pytest.mark.parametrize(("days", "due"), EDGES)
    def test_the_queryset_and_the_action_agree_at_the_edges(self, actions, days, due):
        action = actions[days]

        assert action.due(on=TODAY) == due
        assert (action in Action.objects.overdue(on=TODAY)) == (due == Due.OVERDUE)
        assert (action in Action.objects.due_soon(on=TODAY)) == (due == Due.SOON)
        assert (action in Action.objects.to_review(on=TODAY)) == (due != Due.LATER)

    def test_closed_actions_are_never_due(self, actions):
        Action.objects.update(status=Action.Status.COMPLETED)

        assert not Action.objects.to_review(on=TODAY).exists()
        assert {action.due(on=TODAY) for action in Action.objects.all()} == {None}

    def test_is_overdue_reads_today(self, actions, today):
        assert actions[-1].is_overdue
        assert not actions[0].is_overdue
