"""Run the storyline CLI with ``python -m storyline``."""

from .cli import main

main()
