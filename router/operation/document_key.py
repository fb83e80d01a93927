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

from router.operation.limits import OperationLimits
from router.operation.limits_precheck import check_document_size


def normalised_hash(query: str, limits: OperationLimits) -> str | None:
    """SHA-256 of the document's significant tokens (comments and separators dropped).

    A document over ``max_tokens`` is keyed by its first ``max_tokens + 1`` tokens: every
    such document gets the same refusal, so they may share it. None when the document
    is over its size limit (refused before it is read) or does not lex (parsing refuses
    it with the same bounded work).
    """
    if check_document_size(query, limits) is not None:
        return None
    digest = hashlib.sha256()
    lexer = Lexer(Source(query))
    count = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            count += 1
            if limits.max_tokens is not None and count > limits.max_tokens:
                digest.update(b"\x00over the token limit")
                break
            digest.update(f"{token.kind.value}\x1f{token.value or ''}\x1e".encode())
            token = lexer.advance()
    except GraphQLError:
        return None
    return digest.hexdigest()
