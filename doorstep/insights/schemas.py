"""Types of the aggregates door's inputs, shared by its API and by the shadow-report builder's."""

import re
from typing import Annotated

from pydantic import WithJsonSchema

from doorstep.core.schemas import codes

from .queries import DATASETS, DIMENSIONS

Dataset = codes(DATASETS)
Dimension = codes(DIMENSIONS)

_ONE = "(?:" + "|".join(re.escape(code) for code in DIMENSIONS) + ")"
# The OpenAPI document gives the dimensions as a pattern; ``queries.ask`` checks them, with a message
# that names the ones the dataset and the purpose allow (clearer than a pattern's).
GroupBy = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^ *{_ONE} *(?:, *{_ONE} *)?$",
            "description": "One or two dimensions, comma-separated, e.g. sector,country; each one of: "
            + ", ".join(DIMENSIONS)
            + " (which ones a dataset and purpose allow is checked with the rest of the question).",
        }
    ),
]
