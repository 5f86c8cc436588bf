import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Charts are cached between requests; each test starts from its own data."""
    cache.clear()
    yield
    cache.clear()
