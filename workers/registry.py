"""Which job functions handle which outbox event: filled by the `@handles(Event.X)` decorator.

`workers/events.py` imports every module that registers a handler, so the table is complete
wherever events are handled; a test checks that every `Event` has at least one handler.
"""

from collections import defaultdict
from collections.abc import Callable

from server.events import Event

HANDLERS: dict[Event, list[Callable[..., object]]] = defaultdict(list)


def handles(*kinds: Event) -> Callable:
    def register(func: Callable) -> Callable:
        for kind in kinds:
            HANDLERS[kind].append(func)
        return func

    return register
