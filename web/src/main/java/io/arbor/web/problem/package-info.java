/**
 * Failures as RFC 9457 problem details ({@code application/problem+json}): one exception mapper per
 * failure kind, each with a stable {@code type} URI. A client's mistake is always a 4xx.
 */
package io.arbor.web.problem;
