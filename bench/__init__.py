"""Benchmarks: `python -m bench.vision` (and bench.text); each prints a table and writes bench/results/<name>.json."""
