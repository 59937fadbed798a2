"""Telling people what was done: who took part in an activity (services), the email
each of them is sent when a decision about it is published (emails, sent by the worker
through runner and tasks), and the weekly reminder of overdue feedback."""
