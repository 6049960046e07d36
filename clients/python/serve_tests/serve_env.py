import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))                 # the client, uninstalled
sys.path.insert(0, str(HERE.parent / "examples"))    # the Optuna example's task


@pytest.fixture(scope="session")
def serve():
    """The running serve these checks talk to: started by PythonAgainstServeTest (reliability module)."""
    url, bootstrap = os.environ.get("DW_SERVE_URL"), os.environ.get("DW_SERVE_BOOTSTRAP")
    if not url or not bootstrap:
        pytest.skip("needs a running serve: DW_SERVE_URL and DW_SERVE_BOOTSTRAP (PythonAgainstServeTest sets them)")
    return {"url": url, "bootstrap": bootstrap}
