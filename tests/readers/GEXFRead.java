// Read GEXF files with JGraphT's SimpleGEXFImporter (Debian libjgrapht-java) with its
// default settings (schema validation on) and print, as JSON, one object per file argument:
// {"nodes": count, "edges": count, "ids": [edge ids in file order]} or {"error": message}.
// Compiled and run by tests/test_export_roundtrip.py.
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

public class GEXFRead {
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String read(String path) throws Exception {
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
        StringBuilder b = new StringBuilder("{\"nodes\":").append(g.vertexSet().size());
        b.append(",\"edges\":").append(g.edgeSet().size()).append(",\"ids\":[");
        boolean first = true;
        for (DefaultEdge e : g.edgeSet()) {
            if (!first) b.append(',');
            first = false;
            b.append(q(ids.getOrDefault(e, "")));
        }
        return b.append("]}").toString();
    }

    public static void main(String[] args) {
        List<String> out = new ArrayList<>();
        for (String path : args) {
            try {
                out.add(read(path));
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                out.add("{\"error\":" + q(message) + "}");
            }
        }
        System.out.println("[" + String.join(",", out) + "]");
    }
}
