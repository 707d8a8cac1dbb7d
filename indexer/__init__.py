"""The indexer: registry sources → normalised trials → Elasticsearch, one audited run at a time."""
