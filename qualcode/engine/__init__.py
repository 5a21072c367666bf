"""The coding engine: codebook rules -> spaCy matchers -> code suggestions per unit.

- ``nlp.make_nlp()``: the shared offline pipeline (blank English, sentencizer, lookup lemmas)
- ``compile.compile_codebook(codebook, nlp)`` / ``compile.validate_rules(codebook, nlp)``
- ``tagger.Tagger(codebook).tag_units(text, units, group)``; ``tagger.turn_units`` / ``tagger.sentence_units``
- ``evaluate.evaluate(predicted, gold, codebook, units)``

Nothing is imported here, so ``import qualcode.engine.evaluate`` does not load spaCy.
"""
