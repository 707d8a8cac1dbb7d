"""Indexer benchmark: `python -m bench.indexer --records 100000`."""
