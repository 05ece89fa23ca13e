"""`python -m checker`: the same as the `check` command."""

from checker.cli import main

main()
