"""Code-valued API fields (kinds, statuses, categories…) are typed with their codes, so that
/api/v1/openapi.json lists every allowed value and a wrong code is refused at the schema."""

import re

import pytest
from django.apps import apps
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from ninja import Schema

from doorstep.insights.queries import DIMENSIONS


def _doorstep_models():
    return [model for model in apps.get_models() if model.__module__.startswith("doorstep.")]


# A property or parameter with one of these names holds a code: the names of every model field with
# choices, and of the lists and fixed sets of codes kept in code.
CHOICE_FIELDS = {
    field.name
    for model in _doorstep_models()
    for field in model._meta.get_fields()
    if getattr(field, "choices", None)
}
CODE_NAMES = CHOICE_FIELDS | {
    "sectors",
    "topics",
    "topic",
    "data_kinds",
    "flags",
    "flag",
    "dataset",
    "op",
    "format",
    "decision",
    "level",
    "scheme",
    "my_role",
    "case_status",
    "sector",
}
CODE_NAMES -= {
    # ISO 3166 codes, read leniently (names, three-letter codes, any case) by core.inputs.country_code;
    # a list of some 250 codes in every country field is left for a decision of its own.
    "country",
}

# Properties named like codes that are not (free text, labels), or whose typing waits for other work;
# each with why. ("Schema", "property") for components, ("METHOD path", "parameter") for parameters.
NOT_CODES = {
    ("CommitmentIn", "action"): "free text: what a company commits to do",
    ("CommitmentOut", "action"): "free text",
    ("CaseCommitmentIn", "action"): "free text",
    ("SmsNoticeOut", "audience"): "an object: the groups, locality, sector and status a notice is sent to",
    ("ReliefFundIn", "purpose"): "free text: what a relief fund is for",
    ("ReliefFundOut", "purpose"): "free text",
    ("ActionIn", "outcome"): "free text: what came of a grievance action",
    ("TimelineEntryOut", "outcome"): "free text",
    ("CampaignActionIn", "outcome"): "free text",
    ("CampaignActionOut", "outcome"): "free text",
    ("IdNumber", "kind"): "free text (e.g. national_id, eshram, nhif): no fixed list",
    ("RegistrationIn", "role"): "free text (e.g. leader, organizer)",
    ("RegistrationOut", "role"): "free text",
    ("ParticipationRow", "gender"): "a label, not a code",
    ("AggregateOut", "method"): "a sentence naming the disclosure method",
    ("AggregateOut", "period"): "a calendar month, quarter or year (2026-03, 2026-Q1, 2026), checked "
    "by core.disclosure.lattice_period",
    ("GET /api/v1/aggregates/{dataset}", "period"): "a calendar month, quarter or year",
    ("AggregateParams", "period"): "a calendar month, quarter or year",
    ("LatticePeriod", "period"): "a calendar month, quarter or year",
    ("GET /api/v1/due-diligence/{company_id}/dossier", "period"): "a calendar month, quarter or year",
    ("AggregateOut", "unit"): "worker or worker_month, spelled only inside insights.queries",
    ("BenchmarkIn", "source"): "a citation",
    ("BenchmarkOut", "source"): "a citation",
    ("FactIn", "source"): "a citation",
    ("SchemeIn", "source"): "a citation",
    ("SchemeOut", "source"): "a citation",
    ("FactOut", "source"): "a citation",
    ("TradeFactIn", "source"): "a citation",
    ("TradeFactOut", "source"): "a citation",
    ("TradeFactDetailOut", "source"): "a citation",
    ("TradeFactChangeOut", "source"): "a citation",
    ("DuesIn", "period"): "free text such as 2026 or 2026-03",
    ("DuesOut", "period"): "free text",
    ("ReceiptOut", "period"): "free text, as the dues payment it receipts",
    ("PartyIn", "sector"): "a firm's sector as public lists give it (free text)",
    ("PartyPatch", "sector"): "free text",
    ("PartyOut", "sector"): "free text",
    ("SupplierRowOut", "sector"): "free text from the uploaded list",
    ("SharedStepOut", "kind"): "timeline kinds, spelled only in grievances.services (being split)",
    ("TimelineEntryOut", "kind"): "timeline kinds, spelled only in grievances.services (being split)",
    ("EntryOut", "kind"): "work entry kinds: work's entries are being rewritten (money never deleted)",
    ("ResourceFilters", "language"): "read leniently against Django's list of every language",
    ("GET /api/v1/resources", "language"): "read leniently against Django's list of every language",
    ("GET /api/v1/public/resources", "language"): "read leniently against Django's list of every language",
}
# Work's inputs wait for the rewrite of work entries (money never deleted): typed in a later change.
WORK_INPUTS = {
    "WorkOrderIn",
    "WorkOrderPatch",
    "DeliveryIn",
    "PaymentIn",
    "DeductionIn",
    "CostIn",
    "HelperIn",
    "BenchmarkIn",
    "SavedRateIn",
}


def _lists_codes(schema: dict, components: dict) -> bool:
    """Whether a property's or parameter's schema lists its codes (each alternative but null)."""
    if "$ref" in schema:
        return _lists_codes(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "enum" in schema or "const" in schema:  # a Literal of one code is a const
        return True
    if schema.get("type") == "array":
        return _lists_codes(schema.get("items", {}), components)
    alternatives = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return bool(alternatives) and all(_lists_codes(s, components) for s in alternatives)


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def test_it_lists_the_codes_of_every_code_valued_field(openapi):
    components = openapi["components"]["schemas"]
    plain = []
    for name, schema in components.items():
        for prop, spec in schema.get("properties", {}).items():
            if prop in CODE_NAMES and prop != "group_by" and (name, prop) not in NOT_CODES:
                if name not in WORK_INPUTS and not _lists_codes(spec, components):
                    plain.append(f"{name}.{prop}")
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = (f"{method.upper()} {path}", parameter["name"])
                if parameter["name"] in CODE_NAMES - {"group_by"} and where not in NOT_CODES:
                    if not _lists_codes(parameter["schema"], components):
                        plain.append(" ".join(where))
    assert sorted(plain) == [], (
        "typed plain str: give them core.schemas.codes(<their TextChoices or constant>)"
    )


def test_it_names_every_dimension_for_group_by(openapi):
    parameters = openapi["paths"]["/api/v1/aggregates/{dataset}"]["get"]["parameters"]
    group_by = next(p for p in parameters if p["name"] == "group_by")["schema"]
    pattern = re.compile(group_by["pattern"])
    assert all(pattern.match(code) for code in DIMENSIONS)
    assert pattern.match("sector,country") and not pattern.match("salary")


def test_it_lists_the_codes_of_a_path_parameter(openapi):
    parameters = openapi["paths"]["/api/v1/aggregates/{dataset}"]["get"]["parameters"]
    dataset = next(p for p in parameters if p["name"] == "dataset")["schema"]
    assert dataset["enum"] == ["members", "work", "grievances", "protection"]


def test_it_gives_every_schema_its_own_name():
    # ninja keeps one OpenAPI component per class name: a second schema of the same name silently
    # replaces the first in the document, with its codes.
    import doorstep.api  # noqa: F401  (every router's schemas)

    found: dict[str, set[str]] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("doorstep."):
                found.setdefault(sub.__name__, set()).add(f"{sub.__module__}.{sub.__qualname__}")
            walk(sub)

    walk(Schema)
    assert {name: where for name, where in found.items() if len(where) > 1} == {}


def test_it_keeps_every_code_ever_stored():
    # An output typed with its codes must accept old rows: no code any migration allowed is gone.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("doorstep.")}
    ever: dict[tuple[str, str, str], set[str]] = {}
    for (app, _name), migration in loader.disk_migrations.items():
        if app not in ours:
            continue
        for operation in migration.operations:
            if isinstance(operation, migrations.CreateModel):
                fields = [(operation.name, name, field) for name, field in operation.fields]
            elif isinstance(operation, migrations.AddField | migrations.AlterField):
                fields = [(operation.model_name, operation.name, operation.field)]
            else:
                continue
            for model, name, field in fields:
                if field.choices:
                    ever.setdefault((app, model.lower(), name), set()).update(
                        str(c) for c, _l in field.choices
                    )
    gone = {}
    for (app, model, name), codes in ever.items():
        field = apps.get_model(app, model)._meta.get_field(name)
        missing = codes - {str(code) for code, _label in field.choices or ()}
        if missing:
            gone[f"{app}.{model}.{name}"] = missing
    assert ever and gone == {}
