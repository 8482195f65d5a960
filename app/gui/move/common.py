"""`MovePage`: a page of the move flow, with `.m`, the run's MoveState.
"""

from __future__ import annotations

from app.gui.base import FlowPage
from app.gui.move.flow import MoveState, move_state


class MovePage(FlowPage):
    @property
    def m(self) -> MoveState:
        return move_state(self.state)
