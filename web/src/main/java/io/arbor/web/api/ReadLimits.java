package io.arbor.web.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The page size of every paged read (a stream, the global log, the stream listing, a group's parked
 * events): the {@code limit} query parameter, from 1 to {@code arbor.read.max-limit}, {@code
 * arbor.read.default-limit} when absent.
 */
@ApplicationScoped
public class ReadLimits {
    @Inject
    @ConfigProperty(name = "arbor.read.max-limit")
    int maxLimit;

    @Inject
    @ConfigProperty(name = "arbor.read.default-limit")
    int defaultLimit;

    /** The page size a body's {@code limit} asks for (a query's); a 400 when out of range. */
    int pageSize(JsonFields body) {
        return (int) body.integer("limit", 1, maxLimit, defaultLimit);
    }

    /** The page size a request's {@code limit} asks for; a 400 when it is out of range. */
    public int pageSize(String limit) {
        return (int) QueryParameters.integer("limit", limit, 1, maxLimit, defaultLimit);
    }
}
