"""The OpenAPI document describes the bodies the API really takes and gives: ninja keeps one component
per schema name, so two schemas of one name would silently describe one of them twice."""

import re
import typing
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART
from pydantic import BaseModel

from doorstep.api import api as the_api
from doorstep.surveys.tests.conftest import MAPPING_MD


def _models(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def _api_models() -> set:
    found: set = set()
    for bound in the_api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:  # ninja's own parameter models hold ours in their fields
                    for field in model.model_fields.values():
                        _models(field.annotation, found)
                for model in operation.response_models.values():
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        for field in model.model_fields.values():
                            _models(field.annotation, found)
    return found


def test_every_schema_has_a_name_of_its_own():
    by_name = defaultdict(set)
    for model in _api_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert len(by_name) > 50
    collisions = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert collisions == {}


def test_the_document_lists_each_schema_once_by_its_name(db):
    components = the_api.get_openapi_schema()["components"]["schemas"]
    names = {model.__name__ for model in _api_models()}
    assert names <= set(components) | {"Input", "Output"}


# Answers checked against the document -------------------------------------------------------------

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def violations(document: dict, schema: dict, value, where: str = "") -> list[str]:
    """Where ``value`` breaks ``schema`` (the subset of JSON Schema ninja writes: $ref, anyOf, oneOf,
    allOf, type, enum, const, properties, required, items, additionalProperties)."""
    schema = _resolve(document, schema)
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf", schema.get("oneOf"))
        if all(violations(document, option, value, where) for option in options):
            return [f"{where or '.'}: {value!r} matches none of its options"]
        return []
    found = [
        problem for part in schema.get("allOf", ()) for problem in violations(document, part, value, where)
    ]
    kind = schema.get("type")
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind in TYPES:
        ok = isinstance(value, TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool))
    else:
        ok = True
    if not ok:
        return [*found, f"{where or '.'}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where or '.'}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        found.append(f"{where or '.'}: {value!r} is not {schema['const']!r}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [f"{where}.{name}: missing" for name in schema.get("required", ()) if name not in value]
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += violations(document, properties[name], item, f"{where}.{name}")
            elif extra is False:
                found.append(f"{where}.{name}: not in the document")
            elif isinstance(extra, dict):
                found += violations(document, extra, item, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += violations(document, schema["items"], item, f"{where}.{index}")
    return found


def _operation(document: dict, path: str, method: str) -> dict:
    for template, operations in document["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method in operations:
            return operations[method]
    raise AssertionError(f"{method.upper()} {path} is not in the document")


def answer_violations(document: dict, method: str, path: str, response) -> list[str]:
    """What in the response the document does not describe (its status, or its body)."""
    responses = _operation(document, path.split("?")[0], method)["responses"]
    described = responses.get(response.status_code, responses.get(str(response.status_code)))
    if described is None:
        return [f"{method.upper()} {path}: status {response.status_code} is not in the document"]
    schema = described.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return []
    return [f"{method.upper()} {path} {p}" for p in violations(document, schema, response.json())]


def test_the_answers_match_the_document(world, api, register):
    document = the_api.get_openapi_schema()
    client = api(world.organizer_a)
    sunita = register("Sunita Devi")
    problems: list[str] = []

    def call(method: str, path: str, body=None, **extra):
        if body is not None and "content_type" not in extra:
            extra = {"content_type": "application/json", **extra}
        send = getattr(client, method)
        response = send(path, body, **extra) if body is not None else send(path)
        assert response.status_code < 500, response.content
        problems.extend(answer_violations(document, method, path, response))
        return response

    call("get", "/api/v1/me")
    call("get", "/api/v1/organizations")
    call("get", f"/api/v1/organizations/{world.org_a.pk}")
    call("get", "/api/v1/public/directory")
    case = call(
        "post",
        "/api/v1/grievances",
        {
            "organization_id": world.org_a.pk,
            "category": "late_payment",
            "members": [sunita.pk],
            "summary": "Late",
        },
    ).json()
    call("post", f"/api/v1/grievances/{case['id']}/actions", {"kind": "letter", "detail": "A letter"})
    call("post", f"/api/v1/grievances/{case['id']}/actions", {"kind": "gossip"})  # 422
    call(
        "post",
        f"/api/v1/grievances/{case['id']}/remedies",
        {"kind": "money", "amount": "250", "currency": "INR"},
    )
    call("get", f"/api/v1/grievances/{case['id']}/timeline")
    call("patch", f"/api/v1/grievances/{case['id']}", {"status": "resolved"})
    call("get", f"/api/v1/grievances?organization_id={world.org_a.pk}")
    call("get", "/api/v1/grievances/999999999/timeline")  # 404
    markdown = MAPPING_MD.encode()
    upload = SimpleUploadedFile("mapping.md", markdown, content_type="text/markdown")
    form = call(
        "post", "/api/v1/forms", {"organization_id": world.org_a.pk, "file": upload}, content_type=MULTIPART
    )
    form_id = form.json()["id"]
    call("get", f"/api/v1/forms/{form_id}")
    call("patch", f"/api/v1/forms/{form_id}", {"state": "open"})
    call("get", f"/api/v1/forms?organization_id={world.org_a.pk}")
    assert problems == []


def test_the_check_finds_what_the_document_does_not_describe():
    document = the_api.get_openapi_schema()
    entry = {"$ref": "#/components/schemas/TimelineEntryOut"}
    assert violations(document, entry, {"on": "2026-12-01", "kind": "action", "order_ids": [1]}) == []
    found = violations(document, entry, {"kind": "gossip", "order_ids": ["1"], "deadline_met": "no"})
    assert set(found) == {
        ".on: missing",
        ".kind: 'gossip' is not one of "
        "['opened', 'action', 'attachment', 'reply', 'commitment', 'remedy', 'finished']",
        ".order_ids.0: '1' is not integer",
        ".deadline_met: 'no' matches none of its options",
    }
