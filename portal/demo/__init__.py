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


def register_module_steps() -> None:
    """Let every installed module with a ``demo/loader.py`` register its steps
    (``register_steps()``), so that the portal imports no feature module by name."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for app in apps.get_app_configs():
        name = f"{app.name}.demo.loader"
        if app.name != "portal" and find_spec(f"{app.name}.demo") and find_spec(name):
            import_module(name).register_steps()
