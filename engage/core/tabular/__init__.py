"""Reading tabular files (CSV, Excel) safely, for every loader: the conversation import
and the reference data of places. A hostile workbook is refused before it is opened
(workbook_guard), rows are read lazily (readers) and, during a long import, in a thread
ahead of the database (read_ahead); every problem becomes one of two errors naming the
file, line and column (errors)."""
