"""storyline: a sourced, neutral map of a news affair."""
__version__ = "0.1.0"
