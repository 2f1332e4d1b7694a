// Independent readers of autograph's exports, one Node process per call:
//   node read.mjs graphml|gexf|mermaid|cytoscape < {"name": "file text", ...}
// prints {"name": what the reader made of it, or {"error": message}} as JSON.
// graphml: graphology-graphml; gexf: graphology-gexf (what Gephi Lite uses);
// cytoscape: cytoscape.js itself, headless, loading the whole document with cy.json();
// mermaid: the mermaid package's own parser (Diagram.fromText) under jsdom, with each
// label as the browser would show it: Mermaid's entity decoding, then HTML parsing.
import { JSDOM } from 'jsdom';
import graphology from 'graphology';
import * as graphml from 'graphology-graphml';
import * as gexf from 'graphology-gexf';
import cytoscape from 'cytoscape';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;

function dump(graph) {
  return {
    type: graph.type, multi: graph.multi, attributes: graph.getAttributes(),
    nodes: graph.mapNodes((key, attributes) => ({ key, attributes })),
    edges: graph.mapEdges((key, attributes, source, target, _s, _t, undirected) =>
      ({ key, source, target, undirected, attributes })),
  };
}

// What a reader sees of a label: Mermaid decodes its #code; entities into HTML
// entities, the browser parses that HTML. Report the text and any element it created.
function shown(text) {
  const decoded = text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  const div = document.createElement('div');
  div.innerHTML = decoded;
  return { text: div.textContent, elements: div.querySelectorAll('*').length };
}

async function readMermaid(text) {
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const nodes = {};
  for (const [id, v] of db.getVertices()) nodes[id] = shown(v.text ?? '');
  const edges = db.getEdges().map((e) => ({
    start: e.start, end: e.end, type: e.type, stroke: e.stroke, label: shown(e.text ?? ''),
  }));
  return { type: diagram.type, nodes, edges };
}

// What cytoscape.js made of a .cyjs document: the graph's data, and each element's data
// with the ends cytoscape.js resolved (an edge whose end is missing is refused).
function readCytoscape(text) {
  const cy = cytoscape({ headless: true });
  cy.json(JSON.parse(text));
  return {
    data: cy.data(),
    nodes: cy.nodes().map((n) => n.data()),
    edges: cy.edges().map((e) => ({
      data: e.data(), source: e.source().id(), target: e.target().id(),
    })),
  };
}

const readers = {
  graphml: async (text) => dump(graphml.parse(graphology.Graph, text)),
  gexf: async (text) => dump(gexf.parse(graphology.Graph, text)),
  mermaid: readMermaid,
  cytoscape: async (text) => readCytoscape(text),
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = {};
for (const [name, text] of Object.entries(JSON.parse(input))) {
  try {
    out[name] = await readers[process.argv[2]](text);
  } catch (err) {
    out[name] = { error: String(err && err.message || err) };
  }
}
process.stdout.write(JSON.stringify(out));
