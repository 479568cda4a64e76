"""The judgement of changeready: scoring, findings and plan generation.

Pure Python: plain data in, plain data out. Nothing here imports Django, reads
the clock or touches a database; `as_of` is always a parameter. Django apps load
their rows into the dataclasses of `changeready.core.model` and render what the
functions here return.
"""
