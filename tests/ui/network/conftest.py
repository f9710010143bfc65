"""The window of the walking-network tests: streets over a river crossed by one bridge
and 3 000 start-ups."""

from __future__ import annotations

import pytest

from tests.ui.network.windows import walking_window


@pytest.fixture
def w(qtbot):
    yield from walking_window(qtbot)
