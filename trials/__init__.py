"""trials: clinical-trial registries in Elasticsearch, served with Korean full-text search."""

__version__ = "0.1.0"
