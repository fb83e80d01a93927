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
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";

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

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(values.supergraph, "utf8"),
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
});
console.log(`gateway ready at ${url}`);

async function stop() {
  await server.stop();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
