"""`python -m engage.cli` is the `engage` command, for when the script is not on PATH."""

from engage.cli.main import main

main()
