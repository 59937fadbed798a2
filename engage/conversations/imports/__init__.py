"""Importing conversations from files: the mapping of columns to fields with the
built-in templates (mapping), the checking of each row (cleaning) and its dedupe key
(keys); the job queued (services), run by the worker (tasks) through the pipeline,
its progress noted beside the upload (progress); the upload and column pages (views,
forms, urls). Reading the files themselves is engage.core.tabular's."""
