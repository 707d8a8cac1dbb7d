"""How well the concept vocabulary covers the recorded registry data, and how fast the matcher
tags titles (`python -m bench.concepts`)."""
