"""API: the fair piece-rate calculator."""

from ninja import Router

from doorstep.core.schemas import ErrorOut

from . import rates
from .schemas import FairRateIn, FairRateOut

router = Router(tags=["work"])


def _text(value):
    return None if value is None else str(value)


@router.post("/fair-rate", response={200: FairRateOut, 401: ErrorOut, 422: ErrorOut})
def fair_rate(request, payload: FairRateIn):
    """Work out a fair piece rate by the rated-output method (UK NMW rule) or from standard minutes;
    the answer explains the formula with the numbers used."""
    if payload.method == "rated_output":
        result = rates.rated_output(
            hourly_wage=_text(payload.hourly_wage),
            currency=payload.currency,
            uplift=_text(payload.uplift),
            samples=[{"pieces": _text(s.pieces), "minutes": _text(s.minutes)} for s in payload.samples],
        )
    else:
        result = rates.standard_minutes(
            sam=_text(payload.sam),
            hourly_wage=_text(payload.hourly_wage),
            currency=payload.currency,
            efficiency=_text(payload.efficiency),
            cost_per_piece=_text(payload.cost_per_piece),
        )
    return {**result.__dict__, "fair_rate": format(result.fair_rate, "f")}
