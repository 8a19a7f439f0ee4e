"""The benchmarks' demo step (declared in ``benchmarks/module.py``: after the document base,
40, before the experience feedback, 45)."""

from benchmarks.demo.build import build_all


def build(ctx) -> None:
    build_all(ctx)
