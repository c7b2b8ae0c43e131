"""The character tokenization of spaCy's Chinese tokenizer, in linear time.

``spacy.lang.zh.ChineseTokenizer`` with ``segmenter="char"`` aligns ``list(text)`` to the
text with ``spacy.util.get_words_and_spaces``, which slices the rest of the text once per
character: quadratic, about a tenth of a plan's extraction time (and seconds for one
30,000-character sentence). :func:`char_doc` makes the same tokens and spaces in one pass:
each non-whitespace character is a token; a run of whitespace between two is one token,
except that a single space right after a token is that token's trailing space.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["char_words_and_spaces", "char_doc", "is_char_tokenizer"]

# ``\S`` is the complement of ``str.isspace`` for str patterns, which spaCy's alignment uses.
_NON_SPACE = re.compile(r"\S")


def char_words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """What ``get_words_and_spaces(list(text), text)`` returns."""
    words: list[str] = []
    spaces: list[bool] = []
    pos, n = 0, len(text)
    for m in _NON_SPACE.finditer(text):
        p = m.start()
        if p > pos:
            words.append(text[pos:p])
            spaces.append(False)
        words.append(text[p])
        pos = p + 1
        if pos < n and text[pos] == " ":
            spaces.append(True)
            pos += 1
        else:
            spaces.append(False)
    if pos < n:
        words.append(text[pos:])
        spaces.append(False)
    return words, spaces


def char_doc(vocab: Vocab, text: str) -> Doc:
    """The Doc the character segmenter makes of ``text``."""
    words, spaces = char_words_and_spaces(text)
    return Doc(vocab, words=words, spaces=spaces)


def is_char_tokenizer(tokenizer) -> bool:
    """Whether ``tokenizer`` is spaCy's Chinese tokenizer in character mode."""
    return str(getattr(tokenizer, "segmenter", "")) == "char" and type(tokenizer).__name__ == (
        "ChineseTokenizer"
    )
