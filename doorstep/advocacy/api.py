"""API of the legal tracker: public reads (no login, cached), and a token to change a fact."""

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema

from doorstep.core.schemas import ErrorOut

from . import queries, services
from .models import Fact

router = Router(tags=["laws"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FactOut(Schema):
    fact: str
    value: dict = Field(
        description="c177_ratified: {ratified, on}; c177_in_force: {on}; homework_law: {name, year, covers, "
        "link}; minimum_wage, social_security, safety: {coverage, note}; ilo_comments: {text, link}"
    )
    source: str
    as_of: str
    updated_at: datetime


class CountryOut(Schema):
    country: str
    name: str
    c177_ratified: bool
    facts: list[FactOut]


def _country_out(profile: queries.Profile) -> dict:
    return {
        "country": profile.country,
        "name": profile.name,
        "c177_ratified": profile.ratified,
        "facts": [
            {
                "fact": f.fact,
                "value": f.value,
                "source": f.source,
                "as_of": f.as_of,
                "updated_at": f.updated_at,
            }
            for f in profile.facts.values()
        ],
    }


@public.get("/public/laws", auth=None, response={200: list[CountryOut]})
def world(request, response: HttpResponse, ratified: bool | None = None):
    """Every country with a recorded fact, by name (``ratified`` keeps those that have, or have not,
    ratified Convention 177)."""
    response["Cache-Control"] = "public, max-age=300"
    return [_country_out(p) for p in queries.world({"ratified": ratified})]


@public.get("/public/laws/{country}", auth=None, response={200: CountryOut, 404: ErrorOut})
def country(request, response: HttpResponse, country: str):
    """One country's facts (an empty list for a country with none yet); 404 for an unknown code."""
    response["Cache-Control"] = "public, max-age=300"
    return _country_out(queries.profile(country))


class FactIn(Schema):
    value: dict = Field(description="The fact's fields, as in FactOut.value")
    source: str = Field(max_length=1000)
    as_of: str = ""
    note_why: str = Field("", max_length=500)


@router.put("/laws/{country}/{fact}", response={200: CountryOut, **ERRORS})
def put_fact(request, country: str, fact: str, payload: FactIn):
    """Set one fact (people of a network); the earlier version stays in the history."""
    data = {**payload.value, "source": payload.source, "as_of": payload.as_of, "note_why": payload.note_why}
    if fact not in Fact.values:
        from doorstep.core.errors import ValidationError

        raise ValidationError.for_field("fact", f"Unknown fact; one of {', '.join(Fact.values)}.")
    services.save_fact(country, fact, data=data, actor=request.auth)
    return _country_out(queries.profile(country))
