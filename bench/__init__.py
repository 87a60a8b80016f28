"""Benchmarks. `make bench` (python -m bench) runs each and writes bench/REPORT.md."""
