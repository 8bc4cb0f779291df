"""Benchmarks: ``python -m benchmarks core|gui|http``. Each prints figures and ends with one JSON line."""
