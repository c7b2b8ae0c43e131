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

# ``\s`` is ``str.isspace`` for str patterns, which spaCy's alignment uses.
_SPACE_RUN = re.compile(r"\s+")


def char_words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """What ``get_words_and_spaces(list(text), text)`` returns.

    Characters between whitespace runs are copied as tokens in bulk (``list.extend`` of a
    string); only the runs, few in a plan, are looked at one by one.
    """
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _SPACE_RUN.finditer(text):
        a, b = m.span()
        words += text[pos:a]
        spaces += [False] * (a - pos)
        if a > 0 and text[a] == " ":  # one space after a character is its trailing space
            spaces[-1] = True
            a += 1
        if a < b:  # the rest of the run is one token
            words.append(text[a:b])
            spaces.append(False)
        pos = b
    words += text[pos:]
    spaces += [False] * (len(text) - pos)
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
