"""Demo content: ``manage.py load_demo`` runs every registered step, idempotently.

Each module contributes its own step with ``register(order, label, build)``; ``build``
receives a ``DemoContext`` and must neither fail nor duplicate on a second run.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    demo_mode: bool
    password: str
    write: Callable[[str], None]
    users: dict = field(default_factory=dict)  # role -> user
    logins: list = field(default_factory=list)  # (role label, e-mail, extra note)


@dataclass(frozen=True)
class DemoStep:
    order: int
    label: str
    build: Callable[[DemoContext], None]


_steps: dict[str, DemoStep] = {}


def register(order: int, label: str, build: Callable[[DemoContext], None]) -> None:
    _steps[label] = DemoStep(order, label, build)


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.label))
