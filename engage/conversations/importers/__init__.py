"""Importing conversations from files: readers (CSV, Excel), the mapping of columns to
fields with the built-in templates, the checking of each row, and the dedupe key.

The services in engage.conversations.services put these together into an import job.
"""
