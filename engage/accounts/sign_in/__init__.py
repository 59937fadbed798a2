"""Signing in: wrong tries counted so nobody guesses a password and nobody locks
another out, the second factor, and passwords set or reset through an emailed link
(ADR 0025)."""
