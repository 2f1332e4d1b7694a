// Read GraphML files with JGraphT's GraphMLImporter (Debian libjgrapht-java), schema
// validation on, and print what it imported as JSON: one object per file argument,
// {"graph": {name: [type, value]}, "nodes": {id: {name: [type, value]}},
//  "edges": [{"source", "target", "attrs": {name: [type, value]}}]} or {"error": message}.
// With --gexf first, read GEXF files with JGraphT's SimpleGEXFImporter and its default
// settings (schema validation on) instead: {"nodes": count, "edges": count,
// "ids": [edge ids]} or {"error": message} per file.
// Compiled and run by tests/test_export_readers.py and tests/test_export_roundtrip.py.
import java.io.FileReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.gexf.SimpleGEXFImporter;
import org.jgrapht.nio.graphml.GraphMLImporter;

public class GraphMLRead {
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String attrs(Map<String, Attribute> m) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Attribute> e : m.entrySet()) {
            if (b.length() > 1) b.append(',');
            b.append(q(e.getKey())).append(":[").append(q(e.getValue().getType().toString()))
             .append(',').append(q(e.getValue().getValue())).append(']');
        }
        return b.append('}').toString();
    }

    static String read(String path) throws Exception {
        Graph<String, DefaultEdge> g = GraphTypeBuilder.<String, DefaultEdge>directed()
            .allowingMultipleEdges(true).allowingSelfLoops(true)
            .edgeClass(DefaultEdge.class).buildGraph();
        GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
        importer.setSchemaValidation(true);
        importer.setVertexFactory(id -> id);
        Map<String, Attribute> graphAttrs = new LinkedHashMap<>();
        Map<String, Map<String, Attribute>> nodes = new LinkedHashMap<>();
        Map<DefaultEdge, Map<String, Attribute>> edges = new LinkedHashMap<>();
        importer.addGraphAttributeConsumer((k, a) -> graphAttrs.put(k, a));
        importer.addVertexAttributeConsumer((p, a) ->
            nodes.computeIfAbsent(p.getFirst(), k -> new LinkedHashMap<>()).put(p.getSecond(), a));
        importer.addEdgeAttributeConsumer((p, a) ->
            edges.computeIfAbsent(p.getFirst(), k -> new LinkedHashMap<>()).put(p.getSecond(), a));
        try (Reader r = new FileReader(path, java.nio.charset.StandardCharsets.UTF_8)) {
            importer.importGraph(g, r);
        }
        StringBuilder b = new StringBuilder("{\"graph\":").append(attrs(graphAttrs));
        b.append(",\"nodes\":{");
        boolean first = true;
        for (String v : g.vertexSet()) {
            if (!first) b.append(',');
            first = false;
            b.append(q(v)).append(':').append(attrs(nodes.getOrDefault(v, Map.of())));
        }
        b.append("},\"edges\":[");
        first = true;
        for (DefaultEdge e : g.edgeSet()) {
            if (!first) b.append(',');
            first = false;
            b.append("{\"source\":").append(q(g.getEdgeSource(e))).append(",\"target\":")
             .append(q(g.getEdgeTarget(e))).append(",\"attrs\":")
             .append(attrs(edges.getOrDefault(e, Map.of()))).append('}');
        }
        return b.append("]}").toString();
    }

    static String readGexf(String path) throws Exception {
        Graph<String, DefaultEdge> g = GraphTypeBuilder.<String, DefaultEdge>directed()
            .allowingMultipleEdges(true).allowingSelfLoops(true)
            .edgeClass(DefaultEdge.class).buildGraph();
        SimpleGEXFImporter<String, DefaultEdge> importer = new SimpleGEXFImporter<>();
        importer.setVertexFactory(id -> id);
        Map<DefaultEdge, String> ids = new LinkedHashMap<>();
        importer.addEdgeAttributeConsumer((p, a) -> {
            if (p.getSecond().equals("id")) ids.put(p.getFirst(), a.getValue());
        });
        try (Reader r = new FileReader(path, java.nio.charset.StandardCharsets.UTF_8)) {
            importer.importGraph(g, r);
        }
        List<String> edgeIds = new ArrayList<>();
        for (DefaultEdge e : g.edgeSet()) edgeIds.add(q(ids.getOrDefault(e, "")));
        return "{\"nodes\":" + g.vertexSet().size() + ",\"edges\":" + g.edgeSet().size()
            + ",\"ids\":[" + String.join(",", edgeIds) + "]}";
    }

    public static void main(String[] args) {
        List<String> out = new ArrayList<>();
        boolean gexf = args.length > 0 && args[0].equals("--gexf");
        for (String path : gexf ? java.util.Arrays.copyOfRange(args, 1, args.length) : args) {
            try {
                out.add(gexf ? readGexf(path) : read(path));
            } catch (Exception e) {
                Throwable t = e;
                while (t.getCause() != null) t = t.getCause();
                out.add("{\"error\":" + q(String.valueOf(t.getMessage())) + "}");
            }
        }
        System.out.println("[" + String.join(",", out) + "]");
    }
}
