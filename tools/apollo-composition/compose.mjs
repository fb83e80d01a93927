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
//
// Timing mode (bench/composition_time.py): compose the same subgraphs `repeat` times after
// `warmup` untimed runs, in this process, so Node's start-up is not measured:
// stdin:  {"bench": {"subgraphs": [...], "repeat": int, "warmup": int}}
// stdout: {"seconds": [one duration per timed composition]}
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

function bench({ subgraphs, repeat, warmup }) {
  for (let i = 0; i < warmup; i++) {
    compose({ subgraphs });
  }
  const seconds = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    compose({ subgraphs });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds };
}

const input = JSON.parse(await readStdin());
const output = input.bench
  ? bench(input.bench)
  : Array.isArray(input.batch)
    ? { results: input.batch.map(compose) }
    : compose(input);
process.stdout.write(JSON.stringify(output));
process.stdout.write("\n");
