// Lint Cypher with Neo4j's language support. Reads JSON from stdin:
//   {"schema": {labels, relationshipTypes, propertyKeys}, "queries": [{"name", "text", "parameters"}]}
// and prints {"<name>": [diagnostics...]} as JSON.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { schema, queries } = JSON.parse(input);
const out = {};
for (const q of queries) {
  const { diagnostics } = lintCypherQuery(q.text, { ...schema, parameters: q.parameters });
  out[q.name] = diagnostics.map((d) => ({
    severity: d.severity, message: d.message, line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
}
process.stdout.write(JSON.stringify(out));
