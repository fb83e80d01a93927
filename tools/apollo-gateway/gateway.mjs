#!/usr/bin/env node
// Reference gateway for bench/router_latency.py: Apollo's gateway (@apollo/gateway) in
// Apollo Server's standalone HTTP server, serving a supergraph SDL file as it is.
//
// usage: node gateway.mjs --supergraph FILE --port N [--host 127.0.0.1]
// Prints "gateway ready at URL" once it serves, and stops on SIGINT or SIGTERM.
//
// It talks to nothing but the subgraphs the supergraph names: Apollo's anonymous
// telemetry (which probes cloud metadata addresses and posts to Apollo) is turned off
// before the gateway is built, and so are usage reporting, schema reporting and the
// landing page (which loads from a CDN).
//
// So that it can do the same work as `fedtasks router` in production (bench/suite.py), it
// does what the router does with credentials: with FEDTASKS_JWT_SECRET set it verifies a
// client's `Authorization: Bearer` HS256 token (signature, exp, iss "fedtasks" or
// FEDTASKS_JWT_ISSUER) and refuses a bad one with UNAUTHENTICATED (401); it sends the
// verified subject and scopes to the subgraphs in x-fedtasks-user-id and x-fedtasks-scopes,
// and FEDTASKS_SUBGRAPH_SECRET in x-fedtasks-router-secret, on every subgraph call.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { GraphQLError } from "graphql";

process.env.APOLLO_TELEMETRY_DISABLED = "true";

const { values } = parseArgs({
  options: {
    supergraph: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
if (!values.supergraph || !values.port) {
  console.error("usage: node gateway.mjs --supergraph FILE --port N [--host 127.0.0.1]");
  process.exit(2);
}

const jwtSecret = process.env.FEDTASKS_JWT_SECRET || "";
const issuer = process.env.FEDTASKS_JWT_ISSUER || "fedtasks";
const subgraphSecret = process.env.FEDTASKS_SUBGRAPH_SECRET || "";

function unauthenticated(message) {
  return new GraphQLError(message, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });
}

// The identity of an `Authorization: Bearer <HS256 JWT>` header (RFC 7519), or null when
// there is no header; throws UNAUTHENTICATED for anything that does not verify.
function identity(authorization) {
  if (!authorization) return null;
  const [scheme, token] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== "bearer" || !token || !jwtSecret) {
    throw unauthenticated("The Authorization header must carry a valid bearer token.");
  }
  const [header, payload, signature] = token.split(".");
  const expected = createHmac("sha256", jwtSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature || "", "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated("The token's signature does not verify.");
  }
  let claims;
  try {
    if (JSON.parse(Buffer.from(header, "base64url")).alg !== "HS256") throw new Error();
    claims = JSON.parse(Buffer.from(payload, "base64url"));
  } catch {
    throw unauthenticated("The token is malformed.");
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) {
    throw unauthenticated("The token has expired.");
  }
  if (claims.iss !== issuer || typeof claims.sub !== "string") {
    throw unauthenticated("The token's issuer or subject is not accepted.");
  }
  return { subject: claims.sub, scopes: (claims.scope || "").split(" ").filter(Boolean) };
}

class RouterLikeDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (subgraphSecret) request.http.headers.set("x-fedtasks-router-secret", subgraphSecret);
    if (context.identity) {
      request.http.headers.set("x-fedtasks-user-id", context.identity.subject);
      request.http.headers.set("x-fedtasks-scopes", context.identity.scopes.sort().join(" "));
    }
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(values.supergraph, "utf8"),
  buildService: ({ url }) => new RouterLikeDataSource({ url }),
});
const server = new ApolloServer({
  gateway,
  plugins: [
    ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
  ],
});
const { url } = await startStandaloneServer(server, {
  listen: { host: values.host, port: Number(values.port) },
  context: async ({ req }) => ({ identity: identity(req.headers.authorization) }),
});
console.log(`gateway ready at ${url}`);

async function stop() {
  await server.stop();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
