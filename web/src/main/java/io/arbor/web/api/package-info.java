/**
 * The REST API of {@code ../shared/api.md}: the resources, the strict reading of request bodies
 * into domain values, and the JSON representations of results. Event payloads are stored as jsonb
 * text and written through as they are, never re-parsed on the way out.
 */
package io.arbor.web.api;
