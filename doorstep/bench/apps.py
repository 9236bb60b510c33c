from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Tools, not a capability: the benchmarks (`python -m doorstep bench`), synthetic data at any scale
    (`python -m doorstep synth`) and the plain-ORM baselines that the benchmarks measure against and
    the engine's tests compare with. It sits above every app; no app imports it."""

    name = "doorstep.bench"
    label = "bench"
    verbose_name = "Benchmarks"
