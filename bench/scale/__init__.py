"""The scale benchmark (issue 13, item 4): generated ClinicalTrials.gov studies on a private
node and a private three-node cluster, written to bench/SCALE.md (`python -m bench.scale`)."""
