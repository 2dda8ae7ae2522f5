import pytest


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("He said,\u201cThe raid was illegal.\u201d", ["He", "said", ",", "\u201c", "The", "raid", "was", "illegal", ".", "\u201d"]),
        ("\u201cWe found nothing,\u201dshe added.", ["\u201c", "We", "found", "nothing", ",", "\u201d", "she", "added", "."]),
        ("a \u201cgreat failure\u201dfor them", ["a", "\u201c", "great", "failure", "\u201d", "for", "them"]),
        ('He said,"no" twice.', ["He", "said", ",", '"', "no", '"', "twice", "."]),
        ("the \u00abcult\u00bb of X", ["the", "\u00ab", "cult", "\u00bb", "of", "X"]),
        ("Azarmehr\u2019s movement, the U.S. embassy", ["Azarmehr", "\u2019s", "movement", ",", "the", "U.S.", "embassy"]),
    ],
)
def test_glued_quote_marks_are_split(nlp, text, tokens):
    assert [t.text for t in nlp.tokenizer(text)] == tokens


def test_model_package_is_found():
    from storyline.nlp import MODEL_PACKAGES, model_package

    assert model_package() in MODEL_PACKAGES
