from tests.support.graphql import GraphQLClient


async def test_create_and_read_user(users: GraphQLClient) -> None:
    created = await users.data(
        'mutation { createUser(input: {name: "Ada", email: "Ada@Example.com"}) { id email } }'
    )
    user_id = created["createUser"]["id"]
    assert created["createUser"]["email"] == "ada@example.com"
    data = await users.data("query($id: ID!) { user(id: $id) { name role } }", {"id": user_id})
    assert data == {"user": {"name": "Ada", "role": "MEMBER"}}
