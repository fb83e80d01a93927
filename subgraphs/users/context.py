"""The users subgraph's request context."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.common.context import RequestContext
from subgraphs.users.loaders import UsersLoaders, create_loaders
from subgraphs.users.login_limit import LoginAttempts
from subgraphs.users.tokens import TokenIssuer


class UsersContext(RequestContext):
    """Per-request state of the users subgraph.

    ``tokens`` signs signUp's and login's tokens; ``attempts`` counts failed logins (the
    app's, shared by its requests).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tokens: TokenIssuer,
        attempts: LoginAttempts,
    ) -> None:
        super().__init__(sessions)
        self.loaders: UsersLoaders = create_loaders(sessions)
        self.tokens = tokens
        self.attempts = attempts
