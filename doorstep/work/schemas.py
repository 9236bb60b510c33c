from typing import Literal

from ninja import Field, Schema


class SampleIn(Schema):
    pieces: str | float | int = Field(description="Pieces made in the timed sample.")
    minutes: str | float | int = Field(description="Minutes the sample took.")


class FairRateIn(Schema):
    """Either method's inputs; numbers as decimal strings (floats are accepted and read as text)."""

    method: Literal["rated_output", "standard_minutes"]
    currency: str = Field(description="ISO 4217, e.g. INR.")
    hourly_wage: str | float | int | None = None
    uplift: str | float | int | None = Field(None, description="Rated output only; 1.2 when left out.")
    samples: list[SampleIn] = Field([], description="Rated output only: timed samples.")
    sam: str | float | int | None = Field(
        None, description="Standard minutes only: standard allowed minutes."
    )
    efficiency: str | float | int | None = Field(
        None, description="Standard minutes only: a share, e.g. 0.8."
    )
    cost_per_piece: str | float | int | None = Field(
        None, description="Standard minutes only; 0 when left out."
    )


class FairRateOut(Schema):
    method: str
    fair_rate: str = Field(description="Per piece, a decimal string with 4 places.")
    currency: str
    explanation: str
    inputs: dict[str, str]
