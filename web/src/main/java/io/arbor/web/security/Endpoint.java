package io.arbor.web.security;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * One JAX-RS endpoint: an HTTP method and a path template relative to {@code /arbor/api}, as the
 * resource classes declare them ({@code POST /streams/{streamId}/events}).
 */
public record Endpoint(String method, String path) {

    public static Endpoint of(String method, String path) {
        return new Endpoint(method, path);
    }

    /**
     * The endpoint a resource method serves: its HTTP method annotation, its class's {@code @Path}
     * and its own. Null for a method that is not a resource method (no HTTP method annotation).
     */
    public static Endpoint of(Class<?> resource, Method method) {
        String httpMethod = httpMethod(method);
        if (httpMethod == null) {
            return null;
        }
        Path classPath = resource.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        return new Endpoint(
                httpMethod,
                join(
                        classPath == null ? "" : classPath.value(),
                        methodPath == null ? "" : methodPath.value()));
    }

    /** The value of the method's {@code @GET}, {@code @POST}, … annotation, or null. */
    static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String classPath, String methodPath) {
        String path = "/" + strip(classPath) + "/" + strip(methodPath);
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1)
                : path;
    }

    private static String strip(String segment) {
        return segment.replaceAll("^/+|/+$", "");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
