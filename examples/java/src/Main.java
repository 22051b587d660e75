// hello from java: /, /health, /headers (request headers as JSON), JDK only.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

public class Main {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 64);
        server.createContext("/health", ex -> reply(ex, "text/plain", "ok\n"));
        server.createContext("/headers", ex -> reply(ex, "application/json", headers(ex) + "\n"));
        server.createContext("/", ex -> reply(ex, "text/plain", "hello from java\n"));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    static String headers(HttpExchange ex) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (out.length() > 1) out.append(',');
            out.append(quote(h.getKey().toLowerCase())).append(':')
               .append(quote(String.join(", ", h.getValue())));
        }
        return out.append('}').toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static void reply(HttpExchange ex, String type, String body) throws IOException {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, data.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(data);
        }
    }
}
