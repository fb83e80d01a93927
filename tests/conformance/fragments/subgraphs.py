"""Named and inline fragments over two subgraphs.

- ``users``: ``interface Node { id }`` implemented by ``User { id name }``;
  ``Query.me`` and ``Query.node(id)`` (which can only return users).
- ``posts``: ``interface Node { id }`` implemented by ``Post { id title }`` and ``User``;
  ``User.posts``.
"""

from __future__ import annotations

import strawberry

from tests.conformance.harness import subgraph

NAMES = {"u1": "Ada", "u2": "Bob"}
POSTS = {"u1": [("t1", "Hello"), ("t2", "Again")], "u2": []}


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class User(Node):
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, name=NAMES[id])


@strawberry.type
class UsersQuery:
    @strawberry.field
    def me(self) -> User:
        return User.resolve_reference(strawberry.ID("u1"))

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        return User.resolve_reference(id) if id in NAMES else None


@strawberry.interface(name="Node")
class PostsNode:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class Post(PostsNode):
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Post:
        return next(Post(id=id, title=t) for ps in POSTS.values() for i, t in ps if i == id)


@strawberry.federation.type(name="User", keys=["id"])
class Author(PostsNode):
    @strawberry.field
    def posts(self) -> list[Post]:
        return [Post(id=strawberry.ID(i), title=t) for i, t in POSTS[self.id]]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Author:
        return Author(id=id)


@strawberry.type
class PostsQuery:
    @strawberry.field
    def latest(self) -> PostsNode:
        return Post(id=strawberry.ID("t2"), title="Again")


users = subgraph(UsersQuery)
posts = subgraph(PostsQuery, types=(Post, Author))
