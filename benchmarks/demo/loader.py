"""Demo steps of the benchmarks (filled in below)."""


def register_steps() -> None:
    from portal import demo

    # After the document base (40), before the experience feedback (45), the last step.
    demo.register(42, "Comparatifs de solutions", build)


def build(ctx) -> None:
    from benchmarks.demo.build import build_all

    build_all(ctx)
