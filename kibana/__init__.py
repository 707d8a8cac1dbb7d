"""Kibana saved objects for operators: `saved_objects.ndjson` (package data, written by
`python -m kibana.objects`) and its import into a Kibana (`kibana.saved_objects`)."""
