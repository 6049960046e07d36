import json
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
# the package straight from the folder, as the README allows, without installing it
sys.path.insert(0, str(HERE.parent))
REPO = HERE.parents[2]
SCHEMAS = REPO / "events" / "src" / "main" / "resources" / "schemas"


@pytest.fixture(scope="session")
def epoch_schema():
    """The contract's JSON Schema, with RFC 3339 times checked too."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "epoch-v1.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return validator


def read_lines(path):
    return [json.loads(line) for line in pathlib.Path(path).read_text().splitlines()]
