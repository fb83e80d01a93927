"""Aliases: the same field twice with different arguments, and aliases that clash with the
key fields the planner needs.

- ``users``: ``User @key(id) { id name greeting(lang) }``; ``Query.users``, ``Query.user(id)``.
- ``posts``: ``Post { id title author }``; ``User @key(id) { id karma }``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

NAMES = {"1": "Ada", "2": "Bob"}
HELLO = {"en": "Hello", "fr": "Bonjour", "de": "Hallo"}


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @strawberry.field
    def greeting(self, lang: str = "en") -> str:
        return f"{HELLO[lang]} {self.name}"

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, name=NAMES[id])


@strawberry.type
class UsersQuery:
    @strawberry.field
    def users(self) -> list[User]:
        return [User.resolve_reference(strawberry.ID(id)) for id in NAMES]

    @strawberry.field
    def user(self, id: strawberry.ID) -> User | None:
        return User.resolve_reference(id) if id in NAMES else None


@strawberry.federation.type(name="User", keys=["id"])
class Author:
    id: strawberry.ID

    @strawberry.field
    def karma(self) -> int:
        return int(self.id) * 10

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Author:
        return Author(id=id)


@strawberry.type
class Post:
    id: strawberry.ID
    title: str
    author: Author


@strawberry.type
class PostsQuery:
    @strawberry.field
    def posts(self) -> list[Post]:
        return [
            Post(id=strawberry.ID("p1"), title="First", author=Author(id=strawberry.ID("1"))),
            Post(id=strawberry.ID("p2"), title="Second", author=Author(id=strawberry.ID("2"))),
        ]


users = subgraph(UsersQuery)
posts = subgraph(PostsQuery)
