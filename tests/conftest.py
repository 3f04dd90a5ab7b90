import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded generator, fresh for each test."""
    return np.random.default_rng(12345)
