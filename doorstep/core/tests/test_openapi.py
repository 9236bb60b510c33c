"""The OpenAPI document describes the bodies the API really takes and gives: ninja keeps one component
per schema name, so two schemas of one name would silently describe one of them twice."""

import typing
from collections import defaultdict

from pydantic import BaseModel

from doorstep.api import api


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
    for bound in api._get_bound_routers():
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
    components = api.get_openapi_schema()["components"]["schemas"]
    names = {model.__name__ for model in _api_models()}
    assert names <= set(components) | {"Input", "Output"}
