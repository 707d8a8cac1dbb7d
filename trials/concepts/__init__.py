"""The bilingual (Korean / English) medical vocabulary and the pure matcher over it.

`vocabulary.json` (package data, reviewed by hand; provenance in PROVENANCE.md) holds the
concepts: conditions and interventions, each with Korean and English names, abbreviations, KCD /
ICD-10 codes, MeSH headings and broader concepts. `vocabulary` loads it once, lazily;
`matcher` finds concept mentions in Korean or English text; `hangul` holds the Hangul helpers
(초성); `backbone` is the one-off import of the public KCD category list.
"""
