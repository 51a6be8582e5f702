from tests.connectors.external import external  # noqa: F401 - the fixture
