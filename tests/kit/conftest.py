"""Shared setup of the kit's self-tests."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def single_threaded_torch():
    """Run torch on one thread while the kit's self-tests run (restored afterwards).

    The checks use tensors of a few dozen numbers, where torch's thread pool only adds
    synchronization: on a busy machine each tiny operation then costs milliseconds.
    Results do not depend on the thread count at these sizes.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
