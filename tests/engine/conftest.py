import pytest

from qualcode.engine.nlp import make_nlp


@pytest.fixture(scope="session")
def nlp():
    return make_nlp()
