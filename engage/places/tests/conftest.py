"""The conversations' fixtures, for the tests that import conversations with postcodes and place them."""

from engage.conversations.tests.conftest import (  # noqa: F401 - fixtures, found by name
    _imports_in_tmp,
    organisation,
    write_csv,
    write_file,
)
