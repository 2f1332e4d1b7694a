"""``python -m graph`` is the same as ``autograph``."""

from .cli import cli

if __name__ == "__main__":
    cli(prog_name="autograph")
