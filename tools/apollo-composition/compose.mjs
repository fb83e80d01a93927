#!/usr/bin/env node
// Reference harness: compose subgraph SDLs with Apollo's real composer (@apollo/composition).
//
// stdin:  {"subgraphs": [{"name": str, "url": str, "sdl": str}, ...]}
// stdout: {"supergraph": str, "hints": [{"code", "message"}]}          on success
//         {"errors": [{"code", "message"}], "hints": [{"code", "message"}]} on failure
// Exits 0 in both cases; a non-zero exit means the harness itself crashed.
//
// Batch mode (one Node start-up for many compositions, used by the test-suite):
// stdin:  {"batch": [{"subgraphs": [...]}, ...]}
// stdout: {"results": [<one output object as above>, ...]}
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function typeDefsOf(sdl) {
  try {
    return parse(sdl);
  } catch {
    // Let Apollo parse the raw text itself: buildSubgraph reports syntax errors as
    // INVALID_GRAPHQL with the subgraph name, exactly as composition tools do.
    return sdl;
  }
}

function hintJson(hint) {
  return { code: hint.definition.code, message: hint.message };
}

function errorJson(error) {
  return { code: error.extensions?.code ?? null, message: error.message };
}

function compose(request) {
  const services = request.subgraphs.map((s) => ({
    name: s.name,
    url: s.url,
    typeDefs: typeDefsOf(s.sdl),
  }));
  const result = composeServices(services);
  const hints = (result.hints ?? []).map(hintJson);
  return result.errors
    ? { errors: result.errors.map(errorJson), hints }
    : { supergraph: result.supergraphSdl, hints };
}

const input = JSON.parse(await readStdin());
const output = Array.isArray(input.batch)
  ? { results: input.batch.map(compose) }
  : compose(input);
process.stdout.write(JSON.stringify(output));
process.stdout.write("\n");
