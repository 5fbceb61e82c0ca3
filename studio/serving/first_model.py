"""A tab's first model on its way: how far it is, as told by whoever prepares it.

A tab with no model may be training its first one (studio/train/bootstrap.py, a layer above serving).
app.py connects the two at start (`report_with`); serving only asks (`preparing`): the tab's status and
its "no model" answer say how far the model is, and no Hub default is tried meanwhile. Until app.py
connects a reporter nothing is on its way, so serving (and a test's app) works without the Train tab.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.errors import StudioError

Report = Callable[[str], StudioError | None]  # tab -> how far its first model is, None when none is coming


def nothing_coming(_tab: str) -> None:
    return None


reporter: Report = nothing_coming


def report_with(report: Report) -> None:
    """From now on, `preparing` asks `report` (app.py: studio.train.bootstrap.preparing_error)."""
    global reporter
    reporter = report


def preparing(tab: str) -> StudioError | None:
    """What the tab says while its first model is prepared (a translated message with the progress), else None."""
    return reporter(tab)
