"""Demo steps of the benchmarks (filled in below)."""


def register_steps() -> None:
    from portal import demo

    demo.register(60, "Comparatifs de solutions", build)


def build(ctx) -> None:
    from benchmarks.demo.build import build_all

    build_all(ctx)
