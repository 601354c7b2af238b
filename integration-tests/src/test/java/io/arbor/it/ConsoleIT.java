package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web console's static files (docs/console.md) as the WAR serves them: without a token, with
 * the right content types, the strict Content-Security-Policy and {@code nosniff}, and nothing from
 * another origin. The pages' behaviour is tested in a browser (console-tests/).
 */
class ConsoleIT extends ArborIT {
    private static final String CONSOLE = Arbor.HOST + "/arbor/console/";
    private static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'";
    private static final Pattern ATTRIBUTE_URL = Pattern.compile("\\b(?:src|href)=\"([^\"]*)\"");

    /** Markup built from strings, or code from strings: never in the console (dom.js builds). */
    private static final Pattern MARKUP_SINK =
            Pattern.compile(
                    "\\.(?:inner|outer)HTML\\s*=|insertAdjacentHTML\\s*\\(|document\\.write(?:ln)?\\s*\\("
                            + "|\\beval\\s*\\(|new\\s+Function\\s*\\(");

    private static final Pattern IMPORT =
            Pattern.compile("(?m)^\\s*(?:import|export)\\b[^'\"]*?from\\s+'([^']+)'");

    /** Reads without any token: the files hold no data, and a browser sends none for them. */
    private final Arbor anonymous = new Arbor(null);

    private static void assertSecurityHeaders(Reply reply, String what) {
        assertEquals(CSP, reply.header("Content-Security-Policy"), what);
        assertEquals("nosniff", reply.header("X-Content-Type-Options"), what);
        assertEquals("no-referrer", reply.header("Referrer-Policy"), what);
        assertEquals("DENY", reply.header("X-Frame-Options"), what);
        assertEquals("no-cache", reply.header("Cache-Control"), what);
    }

    @Test
    void theIndexIsServedWithoutATokenWithTheStrictPolicyAndNothingFromAnotherOrigin() {
        Reply index = anonymous.get(CONSOLE);
        assertEquals(200, index.status(), index::toString);
        assertTrue(index.contentType().startsWith("text/html"), index.contentType());
        assertSecurityHeaders(index, "index");
        String html = index.body();
        assertTrue(html.contains("<nav aria-label=\"Console\">"), html);
        Matcher url = ATTRIBUTE_URL.matcher(html);
        int urls = 0;
        while (url.find()) {
            String value = url.group(1);
            urls++;
            boolean otherOrigin =
                    value.contains("//")
                            || (value.matches("(?i)^[a-z][a-z0-9+.-]*:.*")
                                    && !value.startsWith("data:"));
            assertFalse(otherOrigin, "index.html references another origin: " + value);
        }
        assertTrue(urls > 0, html);
        assertFalse(html.contains("style="), "an inline style breaks the CSP");
        assertFalse(html.contains("<style"), "an inline style sheet breaks the CSP");
        assertFalse(
                Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(),
                "an inline script breaks the CSP");
        assertEquals(200, anonymous.get(CONSOLE + "index.html").status());
    }

    @Test
    void everyModuleTheConsoleImportsIsJavaScriptThatBuildsNoMarkupFromText() {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(CONSOLE + "js/main.js");
        while (!todo.isEmpty()) {
            String module = todo.pop();
            if (!seen.add(module)) {
                continue;
            }
            Reply js = anonymous.get(module);
            assertEquals(200, js.status(), module + ": " + js);
            assertTrue(
                    js.contentType().startsWith("text/javascript")
                            || js.contentType().startsWith("application/javascript"),
                    module + ": " + js.contentType());
            assertSecurityHeaders(js, module);
            Matcher sink = MARKUP_SINK.matcher(js.body());
            assertFalse(sink.find(), () -> module + " uses " + sink.group());
            Matcher imported = IMPORT.matcher(js.body());
            while (imported.find()) {
                assertTrue(
                        imported.group(1).startsWith("."),
                        module + " imports " + imported.group(1));
                todo.add(URI.create(module).resolve(imported.group(1)).toString());
            }
        }
        // main.js imports every page, and each page its helpers.
        assertTrue(seen.size() >= 15, seen::toString);
    }

    @Test
    void theStyleSheetIsCssAndAMissingFileIsA404WithTheSameHeaders() {
        Reply css = anonymous.get(CONSOLE + "console.css");
        assertEquals(200, css.status(), css::toString);
        assertTrue(css.contentType().startsWith("text/css"), css.contentType());
        assertSecurityHeaders(css, "console.css");
        Reply missing = anonymous.get(CONSOLE + "js/no-such-module.js");
        assertEquals(404, missing.status(), missing::toString);
        assertEquals("nosniff", missing.header("X-Content-Type-Options"));
    }
}
