"""Screening a new issue for its engagement implications.

A short questionnaire about the issue is evaluated against a rules file a partnership
can adapt without code (`rules.py` loads and checks it, `engine.py` applies it). The
result recommends the type and level of involvement, suitable methods for the groups
affected and the legal duties triggered, with the reason for each; it is kept, with the
version of the rules that produced it, for audit.
"""
