"""The benchmarks' demo step (declared in ``benchmarks/module.py``: after the document base,
40, before the experience feedback, 45)."""


def build(ctx) -> None:
    from benchmarks.demo.build import build_all

    build_all(ctx)
