/**
 * JSON Schema (draft 2020-12) through networknt's json-schema-validator: checking that a registered
 * schema is one, and validating event data against it with compiled schemas reused across appends.
 */
package io.arbor.infrastructure.schema;
