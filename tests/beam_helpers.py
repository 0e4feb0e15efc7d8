"""Helpers for the Beam tests: read a counter from a finished TestPipeline."""

from apache_beam.metrics.metric import MetricsFilter


def counter(result, namespace: str, name: str) -> int:
    """finished pipeline result -> the committed value of counter namespace:name (0 if absent)."""
    found = result.metrics().query(MetricsFilter().with_namespace(namespace).with_name(name))["counters"]
    return sum(c.committed for c in found)
