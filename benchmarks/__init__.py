"""Benchmarks for Pantau UHC: a synthetic national dataset and `make bench` (see BENCHMARKS.md)."""
