#!/usr/bin/env node
// Reference side of the planner differential test (tests/planner_differential): Apollo's
// gateway and query planner for many supergraphs in one Node process.
//
// usage: node differential.mjs   (then one JSON request per line on stdin)
//
// Every request carries an "id" that its one-line JSON answer repeats:
//   {"cmd": "load", "key": K, "supergraph": SDL, "urls": {subgraph name: URL}}
//       builds Apollo's gateway for SDL with each subgraph at the URL given; answers
//       {"subgraphs": {name: SDL}} (each subgraph's schema as Apollo's
//       extractSubgraphsFromSupergraph sees it) and {"api": SDL} (the API schema).
//   {"cmd": "execute", "key": K, "query": Q, "variables": {...}}
//       runs an operation through the gateway; answers {"result": {"data", "errors"}}.
//   {"cmd": "plan", "key": K, "query": Q}
//       answers {"plan": text, "fetches": n, "depth": n}: Apollo's query plan, its number
//       of Fetch nodes and of sequential fetch steps on its longest chain.
//   {"cmd": "unload", "key": K}
// A request that fails answers {"error": message}. Telemetry, usage and schema reporting
// are off; the process talks to nothing but the subgraph URLs it is given.
import { createInterface } from "node:readline";

import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import internals from "@apollo/federation-internals";
import planner from "@apollo/query-planner";
import { parse } from "graphql";

process.env.APOLLO_TELEMETRY_DISABLED = "true";

const loaded = new Map();

async function load({ key, supergraph, urls }) {
  const model = internals.Supergraph.build(supergraph);
  const subgraphs = {};
  for (const subgraph of model.subgraphs()) {
    subgraphs[subgraph.name] = internals.printSchema(subgraph.schema);
  }
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    buildService: ({ name }) => new RemoteGraphQLDataSource({ url: urls[name] }),
  });
  const server = new ApolloServer({
    gateway,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
    includeStacktraceInErrorResponses: false,
  });
  await server.start();
  const queryPlanner = new planner.QueryPlanner(model);
  loaded.set(key, { server, model, queryPlanner });
  return { subgraphs, api: internals.printSchema(model.apiSchema()) };
}

function entry(key) {
  const found = loaded.get(key);
  if (!found) throw new Error(`no supergraph loaded as ${key}`);
  return found;
}

async function execute({ key, query, variables }) {
  const response = await entry(key).server.executeOperation({ query, variables });
  if (response.body.kind !== "single") throw new Error("incremental delivery is not compared");
  const { data, errors } = response.body.singleResult;
  return { result: { data: data ?? null, errors: errors ?? [] } };
}

// Fetch nodes, and sequential fetch steps on the longest chain, of a plan node.
function shape(node) {
  if (!node) return { fetches: 0, depth: 0 };
  switch (node.kind) {
    case "Fetch":
      return { fetches: 1, depth: 1 };
    case "Flatten":
      return shape(node.node);
    case "Sequence":
    case "Parallel": {
      const parts = node.nodes.map(shape);
      const fetches = parts.reduce((sum, p) => sum + p.fetches, 0);
      const depths = parts.map((p) => p.depth);
      const depth =
        node.kind === "Sequence"
          ? depths.reduce((sum, d) => sum + d, 0)
          : Math.max(0, ...depths);
      return { fetches, depth };
    }
    case "Condition": {
      const parts = [shape(node.ifClause), shape(node.elseClause)];
      return {
        fetches: parts[0].fetches + parts[1].fetches,
        depth: Math.max(parts[0].depth, parts[1].depth),
      };
    }
    case "Defer":
    case "Subscription":
    default:
      throw new Error(`plan node ${node.kind} is not measured`);
  }
}

function plan({ key, query }) {
  const { model, queryPlanner } = entry(key);
  const operation = internals.operationFromDocument(model.schema, parse(query));
  const queryPlan = queryPlanner.buildQueryPlan(operation);
  return { plan: planner.prettyFormatQueryPlan(queryPlan), ...shape(queryPlan.node) };
}

async function unload({ key }) {
  const found = loaded.get(key);
  loaded.delete(key);
  if (found) await found.server.stop();
  return {};
}

const commands = { load, execute, plan, unload };

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  let answer;
  try {
    const command = commands[request.cmd];
    if (!command) throw new Error(`unknown command ${request.cmd}`);
    answer = await command(request);
  } catch (error) {
    answer = { error: String(error && error.stack ? error.message : error) };
  }
  process.stdout.write(`${JSON.stringify({ id: request.id, ...answer })}\n`);
}
for (const key of [...loaded.keys()]) await unload({ key });
