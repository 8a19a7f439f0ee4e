"""Demo content: ``manage.py load_demo`` runs every declared step, idempotently.

Each module declares its steps (``PortalModule.demo_steps``); ``build`` receives a
``DemoContext`` and must neither fail nor duplicate on a second run.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import import_string


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
    # The builder, or its dotted path: demo builders (PDF, Office files) load only when run.
    build: Callable[[DemoContext], None] | str

    def run(self, ctx: DemoContext) -> None:
        build = import_string(self.build) if isinstance(self.build, str) else self.build
        build(ctx)


_steps: dict[str, DemoStep] = {}


def register_step(step: DemoStep) -> None:
    _steps[step.label] = step


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.label))
