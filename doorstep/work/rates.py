"""Fair piece rates, two methods, each result explained with the formula filled in (DESIGN.md §3),
so that an organizer can defend the figure in a negotiation.

1. **Rated output** (the UK National Minimum Wage rule for output work, NMW Regulations 2015,
   regs 41–43): time a representative sample of workers, take the mean pieces per hour, and
   ``fair rate = hourly wage × uplift ÷ mean pieces per hour`` (uplift 1.2 by default, so that
   workers slower than the average are not paid below the wage).
2. **Standard minutes**: ``fair rate = SAM ÷ 60 × hourly wage ÷ efficiency + cost per piece``, where
   SAM is the standard allowed minutes for one piece and efficiency a share (0.8 = 80 %).

Money and rates are ``Decimal``; the fair rate is rounded to 4 decimal places (half up) only at the
end, and every intermediate figure is shown as used.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from django.utils.translation import gettext as _

from doorstep.core.errors import FieldError, ValidationError

PLACES = Decimal("0.0001")
DEFAULT_UPLIFT = Decimal("1.2")
# Every input lies between these (a piece, a minute, a wage, a share, an uplift): enough for any real
# case, and bounded so that the arithmetic, done with PRECISION digits, is exact to PLACES. A rate
# that comes out at LARGEST or more cannot be kept (money has 18 digits, 4 after the point).
SMALLEST = PLACES
BIGGEST = Decimal("1e9")
PRECISION = 60
LARGEST = Decimal("1e14")


@dataclass(frozen=True)
class Sample:
    pieces: Decimal
    minutes: Decimal


@dataclass(frozen=True)
class FairRate:
    method: str
    fair_rate: Decimal
    currency: str
    explanation: str
    inputs: dict[str, str]


def _positive(value, name: str, errors: list[FieldError], *, allow_zero: bool = False) -> Decimal | None:
    if value in (None, ""):
        errors.append(FieldError(name, _("This field is required.")))
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(FieldError(name, _("Give a number, e.g. 62.50.")))
        return None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        errors.append(
            FieldError(
                name,
                _("Give a number above zero.") if not allow_zero else _("Give zero or a number above zero."),
            )
        )
        return None
    if number > BIGGEST or (number and number < SMALLEST):
        errors.append(
            FieldError(
                name,
                _("Give a number from %(smallest)s to %(biggest)s.")
                % {"smallest": _fmt(SMALLEST), "biggest": "1,000,000,000"},
            )
        )
        return None
    return number


def _keepable(rate: Decimal) -> Decimal:
    if rate >= LARGEST:
        raise ValidationError.for_field(
            "fair_rate", _("These numbers give a rate too large to be real; check them."), code="out_of_range"
        )
    return rate


def _currency(value, errors: list[FieldError]) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        errors.append(
            FieldError("currency", _("Give the currency as its three-letter code, e.g. INR or KES."))
        )
    return code


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")


def rated_output(*, hourly_wage, currency, samples, uplift=DEFAULT_UPLIFT) -> FairRate:
    """The UK rated-output method from timed samples of (pieces, minutes)."""
    errors: list[FieldError] = []
    wage = _positive(hourly_wage, "hourly_wage", errors)
    lift = _positive(uplift if uplift not in (None, "") else DEFAULT_UPLIFT, "uplift", errors)
    code = _currency(currency, errors)
    timed: list[Sample] = []
    if not samples:
        errors.append(
            FieldError("samples", _("Give at least one timed sample: pieces made and minutes taken."))
        )
    for index, sample in enumerate(samples or []):
        pieces = _positive(sample.get("pieces"), f"samples.{index}.pieces", errors)
        minutes = _positive(sample.get("minutes"), f"samples.{index}.minutes", errors)
        if pieces is not None and minutes is not None:
            timed.append(Sample(pieces, minutes))
    if errors:
        raise ValidationError(message=_("The fair rate cannot be worked out yet."), errors=errors)
    with localcontext(prec=PRECISION):
        total_pieces = sum(s.pieces for s in timed)
        total_minutes = sum(s.minutes for s in timed)
        # The mean output rate of the sample: all pieces over all the time taken.
        per_hour = total_pieces * 60 / total_minutes
        rate = _keepable((wage * lift / per_hour).quantize(PLACES, rounding=ROUND_HALF_UP))
        per_hour = per_hour.quantize(PLACES, rounding=ROUND_HALF_UP)
    explanation = _(
        "Mean output: %(pieces)s pieces in %(minutes)s minutes = %(per_hour)s pieces an hour. "
        "Fair rate = hourly wage × uplift ÷ pieces an hour = %(wage)s × %(uplift)s ÷ %(per_hour)s = "
        "%(rate)s %(currency)s a piece."
    ) % {
        "pieces": _fmt(total_pieces),
        "minutes": _fmt(total_minutes),
        "per_hour": _fmt(per_hour),
        "wage": _fmt(wage),
        "uplift": _fmt(lift),
        "rate": _fmt(rate),
        "currency": code,
    }
    return FairRate(
        "rated_output",
        rate,
        code,
        explanation,
        {
            "hourly_wage": _fmt(wage),
            "uplift": _fmt(lift),
            "samples": str(len(timed)),
            "mean_pieces_per_hour": _fmt(per_hour),
        },
    )


def standard_minutes(*, sam, hourly_wage, currency, efficiency, cost_per_piece=0) -> FairRate:
    """The standard-minutes method: SAM ÷ 60 × hourly wage ÷ efficiency + cost per piece."""
    errors: list[FieldError] = []
    minutes = _positive(sam, "sam", errors)
    wage = _positive(hourly_wage, "hourly_wage", errors)
    share = _positive(efficiency, "efficiency", errors)
    cost = _positive(
        cost_per_piece if cost_per_piece not in (None, "") else 0, "cost_per_piece", errors, allow_zero=True
    )
    code = _currency(currency, errors)
    if share is not None and share > 1:
        errors.append(FieldError("efficiency", _("Give efficiency as a share of 1, e.g. 0.8.")))
    if errors:
        raise ValidationError(message=_("The fair rate cannot be worked out yet."), errors=errors)
    with localcontext(prec=PRECISION):
        rate = _keepable((minutes / 60 * wage / share + cost).quantize(PLACES, rounding=ROUND_HALF_UP))
    explanation = _(
        "Fair rate = standard minutes ÷ 60 × hourly wage ÷ efficiency + cost per piece = "
        "%(sam)s ÷ 60 × %(wage)s ÷ %(efficiency)s + %(cost)s = %(rate)s %(currency)s a piece."
    ) % {
        "sam": _fmt(minutes),
        "wage": _fmt(wage),
        "efficiency": _fmt(share),
        "cost": _fmt(cost),
        "rate": _fmt(rate),
        "currency": code,
    }
    return FairRate(
        "standard_minutes",
        rate,
        code,
        explanation,
        {
            "sam": _fmt(minutes),
            "hourly_wage": _fmt(wage),
            "efficiency": _fmt(share),
            "cost_per_piece": _fmt(cost),
        },
    )


def calculate(inputs) -> FairRate:
    """Either method from one mapping of inputs (a page's cleaned form with its samples as a list of
    {"pieces", "minutes"}, or an API body): ``method`` chooses."""
    if inputs.get("method") == "rated_output":
        return rated_output(
            hourly_wage=inputs.get("hourly_wage"),
            currency=inputs.get("currency"),
            uplift=inputs.get("uplift"),
            samples=inputs.get("samples") or [],
        )
    return standard_minutes(
        sam=inputs.get("sam"),
        hourly_wage=inputs.get("hourly_wage"),
        currency=inputs.get("currency"),
        efficiency=inputs.get("efficiency"),
        cost_per_piece=inputs.get("cost_per_piece"),
    )
