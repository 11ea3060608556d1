"""A two-node Ray cluster on 127.0.0.1 for tests (one per test module: Ray starts slowly)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Ray finds "this node's address" by routing towards a public address; with this set to 0
# it uses the loopback address instead, so every process of the test cluster talks over
# 127.0.0.1 only. Usage statistics would try to reach the internet.
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}


@contextmanager
def local_cluster(nodes: int = 2, cpus: int = 1) -> Iterator[Any]:
    """``ray.cluster_utils.Cluster`` with ``nodes`` raylets on this machine, the driver connected."""
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)
    import ray
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": cpus, "include_dashboard": False},
    )
    try:
        for _ in range(nodes - 1):
            cluster.add_node(num_cpus=cpus)
        ray.init(address=cluster.address, log_to_driver=False, logging_level=logging.WARNING)
        cluster.wait_for_nodes()
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
