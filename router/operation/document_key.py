"""The key of a document's cached verdict: its tokens, without what the grammar ignores.

A refusal cached by the exact text of the document is passed by changing a comment, a
comma or a space, and each changed copy is parsed and validated again. Keyed by the
normalised document, every spelling of one document shares its verdict. The key is
read with graphql-core's lexer (linear, no AST) and only for a document whose exact
text missed the cache, so a cache hit costs one SHA-256 of the text as before.
"""

from __future__ import annotations

import hashlib

from graphql import GraphQLError, Source, TokenKind
from graphql.language.lexer import Lexer


def normalised_hash(query: str, max_tokens: int | None) -> str | None:
    """SHA-256 of the document's significant tokens (comments and separators dropped).

    None when the document does not lex or has more than ``max_tokens`` tokens: parsing
    refuses it anyway, with the same bounded work.
    """
    digest = hashlib.sha256()
    lexer = Lexer(Source(query))
    count = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            count += 1
            if max_tokens is not None and count > max_tokens:
                return None
            digest.update(f"{token.kind.value}\x1f{token.value or ''}\x1e".encode())
            token = lexer.advance()
    except GraphQLError:
        return None
    return digest.hexdigest()
